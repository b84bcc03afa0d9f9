// `/__sandbox/*` endpoints: plain JSON in and out, outside Magento's /rest namespace.

export type ControlHandler = (body: Record<string, unknown>) => unknown;

export interface ControlReply {
  status: number;
  body: unknown;
}

export class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class ControlRouter {
  private readonly handlers = new Map<string, ControlHandler>();

  /** Registers `METHOD /__sandbox/<name>`; a later registration replaces an earlier one. */
  add(method: 'GET' | 'POST', path: string, handler: ControlHandler): void {
    this.handlers.set(`${method} ${path}`, handler);
  }

  /** The handler registered for `METHOD path`, so a later plugin can extend an endpoint. */
  handler(method: 'GET' | 'POST', path: string): ControlHandler | undefined {
    return this.handlers.get(`${method} ${path}`);
  }

  list(): string[] {
    return [...this.handlers.keys()].sort();
  }

  async dispatch(method: string, path: string, rawBody: Buffer): Promise<ControlReply> {
    const handler = this.handlers.get(`${method} ${path}`);
    if (!handler) {
      const known = this.list().join(', ');
      return { status: 404, body: { error: `unknown control endpoint ${method} ${path}; known: ${known}` } };
    }
    let body: Record<string, unknown> = {};
    if (rawBody.length > 0) {
      try {
        const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          return { status: 400, body: { error: 'control endpoints take a JSON object body' } };
        }
        body = parsed as Record<string, unknown>;
      } catch (e) {
        return { status: 400, body: { error: `invalid JSON body: ${(e as Error).message}` } };
      }
    }
    try {
      return { status: 200, body: await handler(body) };
    } catch (e) {
      if (e instanceof ControlError) return { status: e.status, body: { error: e.message } };
      return { status: 500, body: { error: e instanceof Error ? e.message : String(e) } };
    }
  }
}
