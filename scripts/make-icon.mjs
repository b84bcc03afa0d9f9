#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (128×128, the marketplace icon) with headless
// Chromium through playwright-core, so the PNG is reproducible from the committed SVG.
// Usage: node scripts/make-icon.mjs
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from './lib/code-server-session.mjs';
import { findChromium } from './provision-code-server.mjs';

const media = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'media');
const svg = readFileSync(join(media, 'icon.svg'), 'utf8');
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(media, 'icon.png'), omitBackground: true });
  console.log('wrote media/icon.png');
} finally {
  await browser.close();
}
