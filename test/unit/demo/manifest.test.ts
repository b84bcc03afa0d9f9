// The parts of package.json a newcomer meets first: command titles and categories (the palette
// and screen readers read them), the walkthrough (its media exist, its command links name real
// commands), the icon and the l10n bundle the manifest points at.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

interface Manifest {
  icon?: string;
  l10n?: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    walkthroughs?: { id: string; steps: { id: string; title: string; description: string; media: { image?: string; altText?: string; markdown?: string } }[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const commandIds = new Set(manifest.contributes.commands.map((c) => c.command));

describe('package.json for a newcomer', () => {
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
