// Store data rendered by the request builder's JSON tree is text, never markup: the webview's own
// rendering module (bundled for the browser) runs in headless Chromium under the panel's CSP and
// renders product names such as `<script>…` and `"><img onerror=…>` (also as keys). Nothing runs,
// no element is created from the data, no CSP violation is even attempted, and the text shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const REPO = resolve(__dirname, '../..');

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '"><img src=x onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"></svg>',
  '</span><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  'javascript:window.__pwned="href"',
  '<a href="javascript:window.__pwned=1">click</a>',
];

describe('webview JSON tree renders store data as text', { skip: CHROMIUM ? false : 'no Chromium at /usr/bin/chromium' }, () => {
  let browser: Browser;
  let bundle: string;
  before(async () => {
    const built = await esbuild.build({
      stdin: { contents: "import { renderJsonTree } from './jsonTree'; (globalThis as any).renderJsonTree = renderJsonTree;", resolveDir: join(REPO, 'src/webview/requestBuilder'), loader: 'ts' },
      bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
    });
    bundle = built.outputFiles[0]!.text;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  });
  after(async () => {
    await browser?.close();
  });

  test('names, keys and nested values with markup show as text; nothing executes', async () => {
    const page = await browser.newPage();
    try {
      const nonce = 'bm9uY2Utd2Vidmlldy10ZXN0';
      await page.setContent(`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head>
<body><main id="app"></main><script nonce="${nonce}">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));</script><script nonce="${nonce}">${bundle.replace(/<\/script/gi, '<\\/script')}</script></body></html>`);
      const data = {
        items: PAYLOADS.map((name, i) => ({ sku: `XSS-${i}`, name, custom_attributes: [{ attribute_code: 'description', value: name }], [name]: name })),
        total_count: PAYLOADS.length,
        search_criteria: { filter_groups: [] },
      };
      // A string (not a function) so the test compiles without DOM types in the Node tsconfig.
      const result = (await page.evaluate(`(async () => {
        const data = ${JSON.stringify(data)};
        const app = document.getElementById('app');
        // Once with everything opened by a search that matches every payload, once plain.
        app.appendChild(renderJsonTree(data, { search: 'window' }).element);
        app.appendChild(renderJsonTree(data, { search: '' }).element);
        for (const d of app.querySelectorAll('details')) d.open = true;
        await new Promise((r) => setTimeout(r, 200));
        return {
          pwned: window.__pwned,
          violations: window.__violations,
          dangerous: app.querySelectorAll('script, img, svg, iframe, a, object, embed').length,
          handlers: [...app.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value))).length,
          text: app.textContent || '',
        };
      })()`)) as { pwned: unknown; violations: string[]; dangerous: number; handlers: number; text: string };
      assert.equal(result.pwned, undefined, 'no payload executed');
      assert.deepEqual(result.violations, [], 'no payload even reached the CSP');
      assert.equal(result.dangerous, 0, 'no element was created from store data');
      assert.equal(result.handlers, 0, 'no handler or javascript: attribute came from store data');
      for (const payload of PAYLOADS) {
        assert.ok(result.text.includes(JSON.stringify(payload)), `the text of ${payload} is shown`);
      }
    } finally {
      await page.close();
    }
  });
});
