// A small undici client for the async/bulk integration tests: JSON in/out against a sandbox on
// port 0, authenticated with the sandbox's integration token as Bearer.
import { request } from 'undici';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/sandboxServer';
import { type BulkStatusBody, type DetailedOperation } from '../../../src/sandbox/async/bulkStatus';

export interface JsonReply {
  status: number;
  body: unknown;
  text: string;
}

export interface TestStore {
  handle: SandboxHandle;
  call(method: string, path: string, body?: unknown, options?: { token?: string | null; rawBody?: string }): Promise<JsonReply>;
  control(path: string, body?: unknown): Promise<JsonReply>;
  /** Polls detailed-status until no operation is open (status 4). */
  waitForBulk(uuid: string, timeoutMs?: number): Promise<DetailedStatus>;
  close(): Promise<void>;
}

// The store's own answer types: a test reads what the sandbox renders, field for field.
export type { DetailedOperation };
export type DetailedStatus = BulkStatusBody<DetailedOperation>;

export interface Accepted {
  bulk_uuid: string;
  request_items: { id: number; data_hash: string; status: string }[];
  errors: boolean;
}

export async function openStore(options: SandboxOptions = {}): Promise<TestStore> {
  const handle = await startSandbox({ port: 0, ...options });
  const defaultToken = handle.credentials.integration.accessToken;
  const call: TestStore['call'] = async (method, path, body, opts = {}) => {
    const token = opts.token === undefined ? defaultToken : opts.token;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = opts.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await request(handle.baseUrl + path, { method: method as 'GET', headers, body: payload });
    const text = await res.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed, text };
  };
  const control: TestStore['control'] = (path, body) => call(body === undefined ? 'GET' : 'POST', `/__sandbox/${path}`, body, { token: null });
  const waitForBulk: TestStore['waitForBulk'] = async (uuid, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await call('GET', `/rest/V1/bulk/${uuid}/detailed-status`);
      const body = reply.body as DetailedStatus;
      if (reply.status === 200 && body.operations_list.every((op) => op.status !== 4)) return body;
      if (Date.now() > deadline) throw new Error(`bulk ${uuid} still open after ${timeoutMs} ms: ${reply.text.slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { handle, call, control, waitForBulk, close: () => handle.close() };
}
