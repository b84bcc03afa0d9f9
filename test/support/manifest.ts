// package.json as VS Code shows it: user-visible strings in the manifest are `%key%` placeholders
// whose English text is in package.nls.json (translations add package.nls.<locale>.json), so a test
// that reads a title or a description must resolve them first, as VS Code does when it loads the
// extension.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** VS Code's own pattern: the whole string is one placeholder; a `%` inside other text stays as is. */
const PLACEHOLDER = /^%([\w.-]+)%$/;

export function readRawManifest(): unknown {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
}

export function readNlsStrings(): Record<string, string> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
}

/** The key of a `%key%` placeholder, or undefined for any other string. */
export function placeholderKey(value: string): string | undefined {
  return PLACEHOLDER.exec(value)?.[1];
}

/** Replaces every `%key%` by its English text; an unknown key throws, naming it. */
export function resolvePlaceholders(value: unknown, nls: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const key = placeholderKey(value);
    if (key === undefined) return value;
    if (!Object.hasOwn(nls, key)) throw new Error(`package.json uses %${key}% but package.nls.json has no "${key}"`);
    return nls[key];
  }
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, nls));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, nls)]));
  }
  return value;
}

/** package.json with its placeholders resolved to English; T is the shape the caller reads. */
export function readResolvedManifest<T>(): T {
  return resolvePlaceholders(readRawManifest(), readNlsStrings()) as T;
}
