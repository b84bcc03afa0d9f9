// "Test connection" against the sandbox store over real HTTP, for every auth kind and the usual
// failures: what works is said, what does not is said with the client's hint, and steps that
// depend on a failed one are skipped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createMagentoClient, type MagentoClient } from '../../../src/core/http/magentoClient';
import { type SecretStore } from '../../../src/core/ports';
import { parseProfile, secretKey, type Profile, type SecretName } from '../../../src/core/profiles/profile';
import { checkConnection, formatConnectionReport, type ConnectionReport } from '../../../src/host/profiles/connectionCheck';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';

class MapSecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

function statuses(report: ConnectionReport): string[] {
  return report.steps.map((step) => `${step.id}:${step.status}`);
}

describe('checkConnection against the sandbox', () => {
  let sandbox: SandboxHandle;
  const clients: MagentoClient[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, latency: 'none' });
  });
  after(async () => {
    for (const client of clients) await client.close();
    await sandbox.close();
  });

  function client(auth: Profile['auth'], secrets: Partial<Record<SecretName, string>>, baseUrl = sandbox.baseUrl): MagentoClient {
    const profile = parseProfile({ id: `p-${clients.length}`, label: `profile ${clients.length}`, baseUrl, auth });
    const store = new MapSecrets();
    for (const [name, value] of Object.entries(secrets)) store.values.set(secretKey(profile.id, name as SecretName), value);
    const created = createMagentoClient({ profile, secrets: store, retry: { maxRetries: 0 }, timeouts: { connectMs: 2000 } });
    clients.push(created);
    return created;
  }

  test('admin: reachable, token fetched, schema for the account, GET /V1/products allowed', async () => {
    const { username, password } = sandbox.credentials.admin;
    const report = await checkConnection(client({ kind: 'admin', username }, { password }));
    assert.deepEqual(statuses(report), ['reachable:ok', 'token:ok', 'schema:ok', 'protectedGet:ok']);
    assert.equal(report.ok, true);
    assert.match(report.steps[1]!.detail, /admin token obtained from the store; expires in (60 min|1 h)/);
    const anonymous = Number(/\((\d+) anonymous operations\)/.exec(report.steps[0]!.detail)?.[1]);
    const visible = Number(/^(\d+) operations/.exec(report.steps[2]!.detail)?.[1]);
    assert.ok(visible > anonymous, `the admin sees more operations (${visible}) than a guest (${anonymous})`);
    assert.match(report.steps[3]!.detail, /allowed \(\d+ products in the catalog\)/);
  });

  test('customer: GET /V1/customers/me names the customer', async () => {
    const { email, password } = sandbox.credentials.customer;
    const report = await checkConnection(client({ kind: 'customer', email }, { password }));
    assert.equal(report.ok, true, formatConnectionReport(report, 'customer').join('\n'));
    assert.equal(report.steps[3]!.label, 'GET /V1/customers/me');
    assert.ok(report.steps[3]!.detail.includes(email));
  });

  test('integration bearer and OAuth 1.0a: no token step to fetch, requests allowed', async () => {
    const integration = sandbox.credentials.integration;
    const bearer = await checkConnection(client({ kind: 'integration-bearer' }, { accessToken: integration.accessToken }));
    assert.equal(bearer.ok, true, formatConnectionReport(bearer, 'bearer').join('\n'));
    assert.match(bearer.steps[1]!.detail, /Bearer/);
    const oauth = await checkConnection(client({ kind: 'oauth1' }, {
      consumerKey: integration.consumerKey,
      consumerSecret: integration.consumerSecret,
      accessToken: integration.accessToken,
      accessTokenSecret: integration.accessTokenSecret,
    }));
    assert.equal(oauth.ok, true, formatConnectionReport(oauth, 'oauth').join('\n'));
    assert.match(oauth.steps[1]!.detail, /OAuth 1\.0a/);
  });

  test('a wrong password: the token step fails with the store\'s message, later steps are skipped', async () => {
    const report = await checkConnection(client({ kind: 'admin', username: 'nobody-here' }, { password: 'wrong-password-1' }));
    assert.deepEqual(statuses(report), ['reachable:ok', 'token:failed', 'schema:skipped', 'protectedGet:skipped']);
    assert.match(report.steps[1]!.detail, /^401 /);
    assert.equal(report.ok, false);
  });

  test('a missing secret is named', async () => {
    const report = await checkConnection(client({ kind: 'admin', username: 'admin' }, {}));
    assert.equal(report.steps[1]!.status, 'failed');
    assert.match(report.steps[1]!.detail, /no password stored/);
  });

  test('nothing listening: reachability fails with a hint, everything else is skipped', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server: Server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const report = await checkConnection(client({ kind: 'admin', username: 'admin' }, { password: 'x' }, `http://127.0.0.1:${closed}`));
    assert.deepEqual(statuses(report), ['reachable:failed', 'token:skipped', 'schema:skipped', 'protectedGet:skipped']);
    assert.ok(report.steps[0]!.hint, 'a connection failure comes with a hint');
    const lines = formatConnectionReport(report, 'down');
    assert.match(lines[0]!, /something does not work/);
    assert.ok(lines.some((line) => line.startsWith('    hint: ')));
  });

  test('a web server that is not Magento: reachable fails saying so', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Welcome</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const report = await checkConnection(client({ kind: 'admin', username: 'admin' }, { password: 'x' }, `http://127.0.0.1:${port}`));
      assert.equal(report.steps[0]!.status, 'failed');
      assert.match(report.steps[0]!.hint ?? '', /HTML page/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
