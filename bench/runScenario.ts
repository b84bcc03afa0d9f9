// Runs one scenario module and prints its results as a single JSON line on stdout.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { type BenchResult } from './benchTypes';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: runScenario <file>');
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { run: () => Promise<BenchResult[]> };
  const results = await mod.run();
  process.stdout.write(JSON.stringify(results) + '\n');
  process.exit(0);
}
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
