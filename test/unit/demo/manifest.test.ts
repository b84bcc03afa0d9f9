// The parts of package.json a newcomer meets first: command titles and categories (the palette
// and screen readers read them), the walkthrough (its media exist, its command links name real
// commands), the icon, the l10n bundle the manifest points at, and package.nls.json, which holds
// the English text of every user-visible manifest string so that a translation can reach it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT as ROOT, placeholderKey, readNlsStrings, readRawManifest, readResolvedManifest } from '../../support/manifest';

interface Manifest {
  icon?: string;
  l10n?: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    walkthroughs?: { id: string; steps: { id: string; title: string; description: string; media: { image?: string; altText?: string; markdown?: string } }[] }[];
  };
}

describe('package.json for a newcomer', () => {
  // Resolved inside the suite so that a missing package.nls.json key fails these tests (and the
  // dedicated test below names every missing key) instead of aborting the whole file at import.
  let manifest: Manifest;
  let commandIds: Set<string>;
  before(() => {
    manifest = readResolvedManifest<Manifest>();
    commandIds = new Set(manifest.contributes.commands.map((c) => c.command));
  });

  test('every command has the Magento category and a title of a few words', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Magento', `${c.command} has no "Magento" category`);
      assert.match(c.title, /^[A-Z][^\n]{3,60}$/, `${c.command}: title "${c.title}"`);
    }
    const titles = manifest.contributes.commands.map((c) => c.title);
    assert.equal(new Set(titles).size, titles.length, 'two commands share a title');
  });

  test('the walkthrough has the five steps, each with an existing image, alt text and a command link to a real command', () => {
    const walkthrough = manifest.contributes.walkthroughs?.[0];
    assert.ok(walkthrough, 'no walkthrough');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['connect', 'buildRequest', 'convertBulk', 'watchBulk', 'shareTokens']);
    for (const step of walkthrough.steps) {
      assert.ok(step.media.image && existsSync(join(ROOT, step.media.image)), `${step.id}: image ${step.media.image} missing`);
      assert.ok(step.media.altText && step.media.altText.length > 10, `${step.id}: no alt text`);
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
      assert.ok(links.length > 0, `${step.id}: no command link`);
      for (const id of links) assert.ok(id?.startsWith('workbench.') || commandIds.has(id ?? ''), `${step.id}: links to unknown command ${id}`);
    }
  });

  test('the icon is a 128×128 PNG and the l10n bundle is valid JSON of identical English strings', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(join(ROOT, 'media', 'icon.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
    assert.equal(manifest.l10n, './l10n');
    const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    assert.ok(Object.keys(bundle).length > 50);
    for (const [key, value] of Object.entries(bundle)) assert.equal(value, key);
  });

  test('every vscode.l10n.t message in src/host is in the bundle (run `npm run l10n` after adding one)', () => {
    const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const files = readdirSync(join(ROOT, 'src', 'host'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const missing: string[] = [];
    let found = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, 'src', 'host', file), 'utf8');
      for (const m of text.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) {
        const message = (m[1] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
        found++;
        if (!(message in bundle)) missing.push(`${file}: ${message}`);
      }
    }
    assert.ok(found > 50, `only ${found} l10n.t calls found`);
    assert.deepEqual(missing, []);
  });
});

/** Properties VS Code shows to the user (palette, views, walkthrough, settings UI, screen readers). */
const USER_VISIBLE_PROPERTIES = new Set([
  'displayName',
  'title',
  'shortTitle',
  'category',
  'name',
  'contextualTitle',
  'contents',
  'label',
  'altText',
  'description',
  'markdownDescription',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'enumItemLabels',
]);

interface StringLeaf {
  path: string;
  value: string;
  /** The nearest property name above the string (for an array item, the array's). */
  property: string;
}

function stringLeaves(value: unknown, path: string, property: string, out: StringLeaf[] = []): StringLeaf[] {
  if (typeof value === 'string') out.push({ path, value, property });
  else if (Array.isArray(value)) value.forEach((item, i) => stringLeaves(item, `${path}[${i}]`, property, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) stringLeaves(v, path ? `${path}.${k}` : k, k, out);
  }
  return out;
}

describe('package.json strings are translatable through package.nls.json', () => {
  const raw = readRawManifest() as { displayName: string; description: string; contributes: unknown };
  const nls = readNlsStrings();
  const leaves = stringLeaves(raw, '', '');
  const used = new Set(leaves.map((l) => placeholderKey(l.value)).filter((k): k is string => k !== undefined));

  test('every %key% in package.json has its English text in package.nls.json', () => {
    const missing = [...used].filter((key) => !Object.hasOwn(nls, key)).sort();
    assert.deepEqual(missing, [], 'add these keys to package.nls.json');
    assert.ok(used.size > 50, `only ${used.size} placeholders in package.json`);
  });

  test('every package.nls.json entry is used by a %key% in package.json, and holds non-empty text', () => {
    const unused = Object.keys(nls).filter((key) => !used.has(key)).sort();
    assert.deepEqual(unused, [], 'remove these keys from package.nls.json (or use them in package.json)');
    for (const [key, text] of Object.entries(nls)) {
      assert.ok(typeof text === 'string' && text.trim() !== '', `package.nls.json "${key}" is empty`);
      assert.equal(placeholderKey(text), undefined, `package.nls.json "${key}" is itself a placeholder`);
    }
  });

  test('every user-visible string under contributes, and displayName/description, is a %key% (no raw English)', () => {
    const visible = [
      { path: 'displayName', value: raw.displayName, property: 'displayName' },
      { path: 'description', value: raw.description, property: 'description' },
      ...stringLeaves(raw.contributes, 'contributes', 'contributes').filter((l) => USER_VISIBLE_PROPERTIES.has(l.property)),
    ];
    assert.ok(visible.length > 50, `only ${visible.length} user-visible strings found`);
    const raws = visible.filter((l) => placeholderKey(l.value) === undefined).map((l) => `${l.path}: ${JSON.stringify(l.value)}`);
    assert.deepEqual(raws, [], 'put the text in package.nls.json under a key named after what it is, and use "%key%" here');
  });

  test('the catch-all above would catch a command added with a raw title', () => {
    const withNewCommand = structuredClone(raw.contributes) as { commands: object[] };
    withNewCommand.commands.push({ command: 'magentoWorkbench.example.new', title: 'A Raw Title', category: '%command.category%' });
    const caught = stringLeaves(withNewCommand, 'contributes', 'contributes')
      .filter((l) => USER_VISIBLE_PROPERTIES.has(l.property) && placeholderKey(l.value) === undefined)
      .map((l) => l.path);
    assert.deepEqual(caught, [`contributes.commands[${withNewCommand.commands.length - 1}].title`]);
  });
});
