/** What a command gets from the process, so tests can run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (progress bars only then). */
  isTty: boolean;
}

export interface CliCommand {
  /** Returns the exit code: 0 ok, 1 store error, 2 usage error. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: exit code 2. */
export class CliUsageError extends Error {}

/** Runs an argument parser (node:util parseArgs, say), turning what it throws into a usage error. */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
