// Transport security against a self-signed HTTPS sandbox: TLS verification is on by default and
// refuses it with a clear message and a way out; the profile's CA file makes it trusted; "allow
// insecure" works only for the profile that sets it and always warns. Secrets over plain http://
// to a non-loopback host are warned about (loopback stays quiet). Core client and CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMagentoClient, plainHttpRemoteHost } from '../../src/core/http/magentoClient';
import { MagentoTransportError } from '../../src/core/http/transportError';
import { parseProfile, type Profile } from '../../src/core/profiles/profile';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { buildCliBundle, runCliProcess, type CliBundle } from '../support/cliProcess';
import { RecordingLogger } from '../unit/client/clientFakes';

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

function profile(baseUrl: string, tls: Profile['tls'], id = 'tls'): Profile {
  return parseProfile({ id, label: `TLS ${id}`, baseUrl, storeCode: 'default', auth: { kind: 'integration-bearer' }, tls });
}

describe('transport security', { skip: hasOpenssl ? false : 'openssl is not on PATH (needed to make a self-signed certificate)' }, () => {
  let dir: string;
  let certFile: string;
  let sandbox: SandboxHandle;
  let cli: CliBundle;
  let secrets: { get(k: string): Promise<string | undefined>; store(): Promise<void>; delete(): Promise<void> };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tls-'));
    certFile = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    [sandbox, cli] = await Promise.all([
      startSandbox({ port: 0, https: { key: await readFile(join(dir, 'key.pem')), cert: await readFile(certFile) } }),
      buildCliBundle(),
    ]);
    assert.match(sandbox.baseUrl, /^https:\/\//);
    const token = sandbox.credentials.integration.accessToken;
    secrets = { get: async (k) => (k.endsWith('accessToken') ? token : undefined), store: async () => undefined, delete: async () => undefined };
  });
  after(async () => {
    await sandbox?.close();
    cli?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  test('core: verification on by default refuses the self-signed store with a clear message and a hint', async () => {
    const client = createMagentoClient({ profile: profile(sandbox.baseUrl, { verify: true }), secrets, retry: { maxRetries: 0 } });
    try {
      const error = await client.send({ method: 'GET', path: '/V1/store/storeViews' }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof MagentoTransportError, String(error));
      assert.equal(error.kind, 'tls');
      assert.equal(error.requestMayHaveBeenSent, false);
      assert.match(error.message, /TLS error talking to 127\.0\.0\.1/);
      assert.match(error.hint ?? '', /CA file/);
    } finally {
      await client.close();
    }
  });

  test('core: the profile\'s CA file makes the store trusted, without a warning', async () => {
    const logger = new RecordingLogger();
    const client = createMagentoClient({ profile: profile(sandbox.baseUrl, { verify: true, caFile: certFile }), secrets, logger });
    try {
      const res = await client.send<unknown[]>({ method: 'GET', path: '/V1/store/storeViews' });
      assert.equal(res.status, 200);
      assert.equal(logger.count('warn'), 0);
    } finally {
      await client.close();
    }
  });

  test('core: "allow insecure" works for its own profile only, and warns', async () => {
    const logger = new RecordingLogger();
    const insecure = createMagentoClient({ profile: profile(sandbox.baseUrl, { verify: false }, 'insecure'), secrets, logger });
    const strict = createMagentoClient({ profile: profile(sandbox.baseUrl, { verify: true }, 'strict'), secrets, retry: { maxRetries: 0 } });
    try {
      assert.equal((await insecure.send({ method: 'GET', path: '/V1/store/storeViews' })).status, 200);
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /TLS certificate verification is OFF for profile 'TLS insecure'/.test(l.text)), 'a visible warning');
      await assert.rejects(strict.send({ method: 'GET', path: '/V1/store/storeViews' }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'tls', 'the other profile still verifies');
      // Process-wide switches stay untouched.
      assert.notEqual(process.env.NODE_TLS_REJECT_UNAUTHORIZED, '0');
    } finally {
      await insecure.close();
      await strict.close();
    }
  });

  test('CLI: refused by default (exit ≠ 0, TLS named, --ca-file suggested); --ca-file works; --insecure works with a warning', async () => {
    const env = { HOME: dir, MAGENTO_BASE_URL: sandbox.baseUrl, MAGENTO_AUTH: 'integration-bearer', MAGENTO_ACCESS_TOKEN: sandbox.credentials.integration.accessToken };
    const refused = await runCliProcess(cli.path, ['request', 'GET', '/V1/store/storeViews'], env, dir);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /TLS/);
    assert.match(refused.stderr, /CA file|--ca-file/);
    const trusted = await runCliProcess(cli.path, ['request', 'GET', '/V1/store/storeViews', '--ca-file', certFile], env, dir);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.doesNotMatch(trusted.stderr, /verification is OFF/);
    const insecure = await runCliProcess(cli.path, ['request', 'GET', '/V1/store/storeViews', '--insecure'], env, dir);
    assert.equal(insecure.code, 0, insecure.stderr);
    assert.match(insecure.stderr, /verification is OFF/);
  });

  test('plain http:// to a non-loopback host is warned about; loopback is not', async () => {
    assert.equal(plainHttpRemoteHost('http://shop.example.com'), 'shop.example.com');
    assert.equal(plainHttpRemoteHost('http://10.0.0.5:8080'), '10.0.0.5:8080');
    for (const local of ['http://localhost:8080', 'http://127.0.0.1', 'http://127.1.2.3:9', 'http://[::1]:80', 'http://magento.localhost', 'https://shop.example.com']) {
      assert.equal(plainHttpRemoteHost(local), undefined, local);
    }
    const logger = new RecordingLogger();
    const remote = createMagentoClient({ profile: profile('http://shop.example.com', { verify: true }, 'remote'), secrets, logger });
    await remote.close();
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /plain http:\/\/.*unencrypted/.test(l.text)));
    const quiet = new RecordingLogger();
    const local = createMagentoClient({ profile: profile('http://127.0.0.1:9', { verify: true }, 'local'), secrets, logger: quiet });
    await local.close();
    assert.equal(quiet.count('warn'), 0);
  });

  test('CLI: a plain-http store on a non-loopback address gets the warning on stderr', async () => {
    // No traffic leaves loopback: the warning comes when the client is built, and `token` on an
    // integration-bearer profile stops there (usage error: such profiles have no token to fetch).
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737), never contacted.
    const accessToken = 'plain-http-token-0123456789abcdef';
    const env = { HOME: dir, MAGENTO_BASE_URL: 'http://192.0.2.123:9', MAGENTO_AUTH: 'integration-bearer', MAGENTO_ACCESS_TOKEN: accessToken };
    const run = await runCliProcess(cli.path, ['token'], env, dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /plain http:\/\//);
    assert.ok(!run.stderr.includes(accessToken), 'the warning does not carry the secret');
  });
});
