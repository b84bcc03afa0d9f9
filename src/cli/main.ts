// `magento-rest`: the workbench's core for scripts and CI jobs.
// Exit codes: 0 ok, 1 store error, 2 usage error.
import { CliUsageError, type CliCommand, type CliIo } from './cliTypes';

/** Each command lives in its own file under ./commands and registers one line here. */
const commands: Record<string, () => Promise<CliCommand>> = {
  bulk: async () => (await import('./commands/bulk.js')).command,
  convert: async () => (await import('./commands/convert.js')).command,
  token: async () => (await import('./commands/token.js')).command,
  request: async () => (await import('./commands/request.js')).command,
  sandbox: async () => (await import('./commands/sandbox.js')).command,
};

function usage(): string {
  const names = Object.keys(commands).sort();
  return [
    'Usage: magento-rest <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n}`),
    '',
    'Run `magento-rest <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`magento-rest: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`magento-rest ${name}: ${error.message}\n`);
      return 2;
    }
    io.stderr(`magento-rest ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTty: Boolean(process.stderr.isTTY),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`magento-rest: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
