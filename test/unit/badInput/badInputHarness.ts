// Shared pieces of the bad-input properties: "no crash" means a function either returns or throws
// one of the error classes its module documents, with a non-empty message; anything else (a
// TypeError, a RangeError from deep recursion, a string thrown) fails the property. Counts of the
// inputs tried go to $FAULTS_REPORT for the README's reliability table.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

export const LONG = process.env.FAULTS_LONG === '1';
/** Runs per property: enough to find shallow bugs in `npm test`, more in `npm run test:faults`. */
export const RUNS = LONG ? 2000 : 200;

type ErrorClass = abstract new (...args: never[]) => Error;

let tried = 0;

/** Calls `fn`; allowed errors must be instances of `allowed` with a message worth showing. */
export function noCrash<T>(fn: () => T, allowed: readonly ErrorClass[], what: string): T | undefined {
  tried++;
  try {
    return fn();
  } catch (error) {
    if (!allowed.some((cls) => error instanceof cls)) {
      assert.fail(`${what}: crashed with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    const message = (error as Error).message;
    assert.ok(message.trim().length > 0, `${what}: an error without a message`);
    assert.ok(message.length < 5000, `${what}: an error message of ${message.length} characters (the input is echoed whole)`);
    return undefined;
  }
}

export async function noCrashAsync<T>(fn: () => Promise<T>, allowed: readonly ErrorClass[], what: string): Promise<T | undefined> {
  tried++;
  try {
    return await fn();
  } catch (error) {
    if (!allowed.some((cls) => error instanceof cls)) {
      assert.fail(`${what}: crashed with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    assert.ok((error as Error).message.trim().length > 0, `${what}: an error without a message`);
    return undefined;
  }
}

export function reportBadInputs(suite: string): void {
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, JSON.stringify({ fault: `bad input: ${suite}`, injected: 0, operations: 0, badInputs: tried }) + '\n');
  tried = 0;
}

/** Strings that break naive parsers: control characters, lone surrogates, BOMs, brackets, %. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(fc.constantFrom('[', ']', '%', '&', '=', '#', '?', '{', '}', '"', "'", ',', ';', '\\', '\n', '\r', '\t', '\u0000', '\uFEFF', '\uD800', 'a', 'z', '0', ' '), { maxLength: 60 }).map((chars) => chars.join('')),
  fc.constantFrom('', '\uFEFF', '\uD800', '%', '%%', '%zz', '[', ']', '[[]]', '{{x}}', '\u0000', '\r\n\r\n', 'null', '[]', '{}', '"'),
);

/** A deeply nested JSON text (stack-depth attacks on recursive walkers). */
export function deepJson(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

export const TEN_MB = 10 * 1024 * 1024;
