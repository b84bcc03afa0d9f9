// `magento-rest sandbox`: runs the local Magento 2.4 REST simulator until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import type { Logger } from '../../core/ports';
import { CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { SandboxPortInUseError, startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox/sandboxServer';

const HELP = `Usage: magento-rest sandbox [options]

Starts a local Magento 2.4 REST store simulator (in memory) and keeps it running until Ctrl+C.

Options:
  --port N                 Port to listen on (default 0 = any free port)
  --host ADDR              Address to bind (default 127.0.0.1, loopback only)
  --latency none|realistic Per-call cost model (default none)
  --consumers on|off       Whether the async operations consumer runs (default on)
  --two-factor             Require 2FA for admin tokens (TOTP secret printed)
  --token-format jwt|opaque Admin/customer tokens as JWTs (default, Magento 2.4.4+) or
                           32-char opaque strings (before 2.4.4)
  --seed N                 Seed for the generated catalog (default 1)
  --schema FILE            Also serve every route of a Magento Swagger schema file
  --json                   First stdout line: one JSON object with baseUrl and credentials
  -h, --help               Show this help
`;

export function parseSandboxArgs(args: string[]): { options: SandboxOptions; json: boolean; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        latency: { type: 'string' },
        consumers: { type: 'string' },
        'two-factor': { type: 'boolean' },
        'token-format': { type: 'string' },
        seed: { type: 'string' },
        schema: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n\n${HELP}`);
  }
  const v = parsed.values;
  const options: SandboxOptions = {};
  if (v.port !== undefined) {
    if (!/^\d+$/.test(v.port) || Number(v.port) > 65535) throw new CliUsageError(`--port must be an integer 0-65535, got '${v.port}'`);
    options.port = Number(v.port);
  }
  if (v.host !== undefined) options.host = v.host;
  if (v.latency !== undefined) {
    if (v.latency !== 'none' && v.latency !== 'realistic') throw new CliUsageError(`--latency must be 'none' or 'realistic', got '${v.latency}'`);
    options.latency = v.latency;
  }
  if (v.consumers !== undefined) {
    if (v.consumers !== 'on' && v.consumers !== 'off') throw new CliUsageError(`--consumers must be 'on' or 'off', got '${v.consumers}'`);
    options.consumers = v.consumers === 'on';
  }
  if (v['two-factor']) options.twoFactor = true;
  const tokenFormat = v['token-format'];
  if (tokenFormat !== undefined) {
    if (tokenFormat !== 'jwt' && tokenFormat !== 'opaque') throw new CliUsageError(`--token-format must be 'jwt' or 'opaque', got '${tokenFormat}'`);
    options.tokenFormat = tokenFormat;
  }
  if (v.seed !== undefined) {
    if (!/^-?\d+$/.test(v.seed)) throw new CliUsageError(`--seed must be an integer, got '${v.seed}'`);
    options.seed = Number(v.seed);
  }
  if (v.schema !== undefined) options.schemaFile = v.schema;
  return { options, json: Boolean(v.json), help: Boolean(v.help) };
}

/** Sandbox failures go to stderr (stdout stays reserved for the --json line and the banner). */
function stderrLogger(io: CliIo): Logger {
  const write = (level: string) => (message: string | Error, ...args: unknown[]): void => {
    io.stderr(`[${level}] ${message instanceof Error ? message.message : message}${args.length > 0 ? ` ${args.map(String).join(' ')}` : ''}\n`);
  };
  const noop = (): void => undefined;
  const logger: Logger = { trace: noop, debug: noop, info: noop, warn: write('warn'), error: write('error'), child: () => logger };
  return logger;
}

/** The `--json` line: what scripts need to talk to the sandbox. */
export function sandboxInfoLine(handle: SandboxHandle): string {
  const c = handle.credentials;
  return JSON.stringify({
    baseUrl: handle.baseUrl,
    storeCode: handle.storeCode,
    admin: { username: c.admin.username, password: c.admin.password, ...(c.admin.totpSecret ? { totpSecret: c.admin.totpSecret } : {}) },
    customer: { email: c.customer.email, password: c.customer.password },
    integration: { ...c.integration },
  });
}

function humanBanner(handle: SandboxHandle): string {
  const c = handle.credentials;
  return [
    `Magento sandbox store listening on ${handle.baseUrl}`,
    `  REST base:    ${handle.baseUrl}/rest/default/V1/...   (store codes: default, de, all)`,
    `  Schema:       ${handle.baseUrl}/rest/default/schema?services=all`,
    `  Admin:        ${c.admin.username} / ${c.admin.password}${c.admin.totpSecret ? `   (TOTP secret ${c.admin.totpSecret})` : ''}`,
    `  Customer:     ${c.customer.email} / ${c.customer.password}`,
    `  Integration:  consumer key ${c.integration.consumerKey}, access token ${c.integration.accessToken}`,
    `  Control:      ${handle.baseUrl}/__sandbox/stats (also reset, clock, config, consumers, faults, tokens/revoke)`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

export const command: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const { options, json, help } = parseSandboxArgs(args);
    if (help) {
      io.stdout(HELP);
      return 0;
    }
    // Signal handlers go in before anything is printed: a script that reads the --json line and
    // immediately sends SIGINT must not hit the default (kill) disposition.
    let signalled: NodeJS.Signals | undefined;
    let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
    const listener = (signal: NodeJS.Signals): void => {
      signalled ??= signal;
      onSignal?.(signal);
    };
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    const detach = (): void => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
    let handle: SandboxHandle;
    try {
      const logger = stderrLogger(io);
      handle = await startSandbox({ ...options, logger });
    } catch (error) {
      detach();
      if (error instanceof SandboxPortInUseError) {
        io.stderr(`magento-rest sandbox: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    if (json) io.stdout(sandboxInfoLine(handle) + '\n');
    else io.stdout(humanBanner(handle));
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      if (signalled) resolve(signalled);
      else onSignal = resolve;
    });
    detach();
    if (!json) io.stderr(`\n${signal}: stopping the sandbox store\n`);
    try {
      await handle.close();
      return 0;
    } catch (error) {
      io.stderr(`magento-rest sandbox: error while stopping: ${String(error)}\n`);
      return 1;
    }
  },
};
