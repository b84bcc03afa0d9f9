// Counters behind GET /__sandbox/stats. Other sandbox parts add their own sections through contributors.

export interface TokensIssued {
  admin: number;
  customer: number;
  tfa: number;
  total: number;
}

export class SandboxStats {
  requestsTotal = 0;
  requestsByRoute = new Map<string, number>();
  tokensIssued: TokensIssued = { admin: 0, customer: 0, tfa: 0, total: 0 };
  private readonly contributors = new Map<string, () => unknown>();

  countRequest(key: string): void {
    this.requestsTotal++;
    this.requestsByRoute.set(key, (this.requestsByRoute.get(key) ?? 0) + 1);
  }

  countToken(kind: 'admin' | 'customer' | 'tfa'): void {
    this.tokensIssued[kind]++;
    this.tokensIssued.total++;
  }

  /** Adds a top-level section to the stats JSON (e.g. `operations_by_status`). */
  addContributor(name: string, produce: () => unknown): void {
    this.contributors.set(name, produce);
  }

  reset(): void {
    this.requestsTotal = 0;
    this.requestsByRoute.clear();
    this.tokensIssued = { admin: 0, customer: 0, tfa: 0, total: 0 };
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      requests_total: this.requestsTotal,
      requests_by_route: Object.fromEntries(this.requestsByRoute),
      tokens_issued: { ...this.tokensIssued },
    };
    for (const [name, produce] of this.contributors) out[name] = produce();
    if (!('operations_by_status' in out)) out.operations_by_status = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    return out;
  }
}
