// `magento-rest sandbox` as a process: the --json first line, loopback binding, clean stop on
// SIGTERM/SIGINT, a clear error for a port in use, usage errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', ...args], { cwd: repo, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before printing a line`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('magento-rest sandbox', () => {
  test('--json prints one JSON object first, serves REST on loopback, stops on SIGTERM with exit 0', async () => {
    const child = runCli(['--json', '--port', '0', '--seed', '3']);
    const exited = exitOf(child);
    const info = JSON.parse(await firstLine(child)) as { baseUrl: string; storeCode: string; admin: Record<string, string>; customer: Record<string, string>; integration: Record<string, string> };
    assert.deepEqual(Object.keys(info), ['baseUrl', 'storeCode', 'admin', 'customer', 'integration']);
    assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.storeCode, 'default');
    assert.deepEqual(Object.keys(info.admin), ['username', 'password']);
    assert.deepEqual(Object.keys(info.customer), ['email', 'password']);
    assert.deepEqual(Object.keys(info.integration), ['consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret']);
    const token = await fetch(`${info.baseUrl}/rest/default/V1/integration/admin/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: info.admin.username, password: info.admin.password }) });
    assert.equal(token.status, 200);
    assert.match((await token.json()) as string, /^eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ\./, 'JWT by default (2.4.4+)');
    child.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0);
  });

  test('--two-factor adds the TOTP secret; SIGINT also stops cleanly', async () => {
    const child = runCli(['--json', '--two-factor']);
    const exited = exitOf(child);
    const info = JSON.parse(await firstLine(child)) as { admin: { totpSecret?: string } };
    assert.match(info.admin.totpSecret ?? '', /^[A-Z2-7]{32}$/);
    child.kill('SIGINT');
    assert.equal((await exited).code, 0);
  });

  test('a port in use → a clear message and exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, stderr } = await exitOf(runCli(['--port', String(port)]));
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  test('--token-format opaque issues pre-2.4.4 32-char tokens', async () => {
    const child = runCli(['--json', '--token-format', 'opaque']);
    const exited = exitOf(child);
    const info = JSON.parse(await firstLine(child)) as { baseUrl: string; customer: { email: string; password: string } };
    const token = await fetch(`${info.baseUrl}/rest/default/V1/integration/customer/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: info.customer.email, password: info.customer.password }) });
    assert.match((await token.json()) as string, /^[a-z0-9]{32}$/);
    child.kill('SIGTERM');
    assert.equal((await exited).code, 0);
  });

  test('an unknown --token-format is a usage error that names the choices; --help lists the flag', async () => {
    const bad = await exitOf(runCli(['--token-format', 'paseto']));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--token-format must be 'jwt' or 'opaque', got 'paseto'/);
    const help = runCli(['--help']);
    let out = '';
    help.stdout.on('data', (c: Buffer) => (out += c.toString()));
    assert.equal((await exitOf(help)).code, 0);
    assert.match(out, /--token-format jwt\|opaque/);
  });

  test('bad options are usage errors (exit 2)', async () => {
    const { code, stderr } = await exitOf(runCli(['--latency', 'slow']));
    assert.equal(code, 2);
    assert.match(stderr, /--latency must be 'none' or 'realistic'/);
  });
});
