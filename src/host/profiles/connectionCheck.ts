// "Test connection": what works and what does not, step by step, with the client's hints.
// No `vscode` here on purpose: the check is plain logic over a MagentoClient.
import { type MagentoClient } from '../../core/http/magentoClient';
import { MagentoApiError } from '../../core/http/magentoError';
import { MagentoTransportError } from '../../core/http/transportError';
import { MagentoSchema } from '../../core/schema/swaggerSchema';

export type ConnectionStepId = 'reachable' | 'token' | 'schema' | 'protectedGet';

export interface ConnectionStep {
  id: ConnectionStepId;
  label: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
  hint?: string;
  ms?: number;
}

export interface ConnectionReport {
  profileId: string;
  ok: boolean;
  steps: ConnectionStep[];
}

function failure(error: unknown): { detail: string; hint?: string } {
  if (error instanceof MagentoApiError || error instanceof MagentoTransportError) {
    return error.hint ? { detail: error.message, hint: error.hint } : { detail: error.message };
  }
  return { detail: error instanceof Error ? error.message : String(error) };
}

function describeExpiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return 'does not expire';
  const minutes = Math.round((expiresAt - now) / 60_000);
  return minutes >= 120 ? `expires in ${Math.round(minutes / 60)} h` : `expires in ${minutes} min`;
}

function countOperations(body: unknown): number | undefined {
  try {
    return MagentoSchema.parse(body).operations().length;
  } catch {
    return undefined;
  }
}

/** Runs the checks in order; a failed step makes the steps that depend on it `skipped`. */
export async function checkConnection(client: MagentoClient, now: () => number = Date.now): Promise<ConnectionReport> {
  const profile = client.profile;
  const steps: ConnectionStep[] = [];
  const timed = async <T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = now();
    const value = await run();
    return { value, ms: now() - started };
  };

  // 1. The store answers its REST schema without credentials (anonymous routes only).
  let reachable = false;
  try {
    const { value, ms } = await timed(() => client.send({ method: 'GET', path: '/schema', query: [['services', 'all']], authenticated: false }));
    const operations = countOperations(value.body);
    reachable = true;
    steps.push({
      id: 'reachable', label: 'Store reachable', status: 'ok', ms,
      detail: operations === undefined
        ? `${client.restUrl('/schema')} answered ${value.status}, but not with a Swagger document.`
        : `${client.restUrl('/schema')} answered ${value.status} in ${ms} ms (${operations} anonymous operations).`,
    });
  } catch (error) {
    steps.push({ id: 'reachable', label: 'Store reachable', status: 'failed', ...failure(error) });
  }

  // 2. A token (admin/customer); integrations send their credentials with each request.
  let authenticated = reachable;
  if (!reachable) {
    steps.push({ id: 'token', label: 'Authentication', status: 'skipped', detail: 'The store could not be reached.' });
  } else if (profile.auth.kind === 'admin' || profile.auth.kind === 'customer') {
    try {
      const { value, ms } = await timed(() => client.token());
      const where = value.source === 'fetched' ? 'obtained from the store' : `reused from the ${value.source === 'store' ? 'secret storage' : value.source} cache`;
      steps.push({ id: 'token', label: 'Token', status: 'ok', ms, detail: `${profile.auth.kind} token ${where}; ${describeExpiry(value.expiresAt, now())}.` });
    } catch (error) {
      authenticated = false;
      steps.push({ id: 'token', label: 'Token', status: 'failed', ...failure(error) });
    }
  } else {
    steps.push({
      id: 'token', label: 'Authentication', status: 'ok',
      detail: profile.auth.kind === 'oauth1' ? 'Requests are signed with OAuth 1.0a (HMAC-SHA256); no token to fetch.' : 'The integration access token is sent as a Bearer token with each request.',
    });
  }

  // 3. The schema as this account sees it (Magento lists only the routes its ACL allows).
  if (!authenticated) {
    steps.push({ id: 'schema', label: 'Schema for this account', status: 'skipped', detail: 'Authentication did not succeed.' });
  } else {
    try {
      const { value, ms } = await timed(() => client.send({ method: 'GET', path: '/schema', query: [['services', 'all']] }));
      const operations = countOperations(value.body);
      steps.push(operations === undefined
        ? { id: 'schema', label: 'Schema for this account', status: 'failed', ms, detail: 'The schema endpoint did not return a Swagger 2.0 document.' }
        : { id: 'schema', label: 'Schema for this account', status: 'ok', ms, detail: `${operations} operations visible to this account.` });
    } catch (error) {
      steps.push({ id: 'schema', label: 'Schema for this account', status: 'failed', ...failure(error) });
    }
  }

  // 4. A protected GET that this kind of account is normally allowed.
  if (!authenticated) {
    steps.push({ id: 'protectedGet', label: 'Protected request', status: 'skipped', detail: 'Authentication did not succeed.' });
  } else {
    const customer = profile.auth.kind === 'customer';
    const path = customer ? '/V1/customers/me' : '/V1/products';
    const query: [string, string][] = customer ? [] : [['searchCriteria[pageSize]', '1'], ['fields', 'total_count']];
    const label = `GET ${path}`;
    try {
      const { value, ms } = await timed(() => client.send<Record<string, unknown>>({ method: 'GET', path, query }));
      const body = value.body ?? {};
      const detail = customer ? `allowed (signed in as ${String(body['email'] ?? 'the customer')}).` : `allowed (${String(body['total_count'] ?? '?')} products in the catalog).`;
      steps.push({ id: 'protectedGet', label, status: 'ok', ms, detail });
    } catch (error) {
      steps.push({ id: 'protectedGet', label, status: 'failed', ...failure(error) });
    }
  }

  return { profileId: profile.id, ok: steps.every((step) => step.status === 'ok'), steps };
}

/** The report as lines for the log and the details view. */
export function formatConnectionReport(report: ConnectionReport, profileLabel: string): string[] {
  const mark = { ok: '✔', failed: '✖', skipped: '–' } as const;
  const lines = [`Connection test for "${profileLabel}": ${report.ok ? 'everything works' : 'something does not work'}`];
  for (const step of report.steps) {
    lines.push(`${mark[step.status]} ${step.label}: ${step.detail}`);
    if (step.hint) lines.push(`    hint: ${step.hint}`);
  }
  return lines;
}
