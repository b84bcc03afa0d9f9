// `magento-rest token [profile options] [--show] [--json] [--forget]`
// Fetches or reuses the profile's token (memory → Redis when REDIS_URL is set → the store) and
// says where it came from and when it expires. The token itself is printed only with --show.
import { parseArgs } from 'node:util';
import { asUsage, CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { createCliClient, PROFILE_HELP, PROFILE_OPTIONS, reportStoreError } from '../profileFromArgs';

const HELP = `Usage: magento-rest token [profile options] [--show] [--json] [--forget]

Fetches a token for an admin or customer profile, or reuses a cached one, and prints
where it came from (memory, redis, store, fetched) and when it expires.

Options:
  --show      print the token itself on stdout (the summary then goes to stderr)
  --json      print {source, obtainedAt, expiresAt[, token]} as JSON
  --forget    drop the cached token everywhere (customer tokens are also revoked on the store)

${PROFILE_HELP}`;

function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

export function createTokenCommand(): CliCommand {
  return {
    async run(args: string[], io: CliIo): Promise<number> {
      const parsed = asUsage(() => parseArgs({ args, options: { ...PROFILE_OPTIONS, show: { type: 'boolean' }, json: { type: 'boolean' }, forget: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
      const { values } = parsed;
      if (values.help) {
        io.stdout(HELP);
        return 0;
      }
      const cli = await createCliClient(values, io);
      try {
        if (values.forget) {
          const result = await cli.client.forgetToken();
          io.stdout(values.json ? `${JSON.stringify(result)}\n` : `${result.message}\n`);
          return 0;
        }
        const kind = cli.profile.auth.kind;
        if (kind !== 'admin' && kind !== 'customer') {
          throw new CliUsageError(`${kind} profiles have no token to fetch: their credentials are sent with every request`);
        }
        const info = await cli.client.token();
        const expires = info.expiresAt === null ? 'never expires' : `expires ${new Date(info.expiresAt).toISOString()} (in ${formatRemaining(info.expiresAt - Date.now())})`;
        const account = kind === 'admin' && cli.profile.auth.kind === 'admin' ? cli.profile.auth.username : cli.profile.auth.kind === 'customer' ? cli.profile.auth.email : '';
        const summary = `${kind} token for ${account} at ${cli.profile.baseUrl}: from ${info.source}, ${expires}`;
        if (values.json) {
          const json: Record<string, unknown> = { source: info.source, obtainedAt: new Date(info.obtainedAt).toISOString(), expiresAt: info.expiresAt === null ? null : new Date(info.expiresAt).toISOString() };
          if (values.show) json.token = info.token;
          io.stdout(`${JSON.stringify(json)}\n`);
        } else if (values.show) {
          io.stdout(`${info.token}\n`);
          io.stderr(`${summary}\n`);
        } else {
          io.stdout(`${summary}\n`);
        }
        return 0;
      } catch (error) {
        return reportStoreError(error, io);
      } finally {
        await cli.close();
      }
    },
  };
}

export const command: CliCommand = createTokenCommand();
