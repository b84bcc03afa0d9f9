// The CSP of every webview page the extension serves (today: the request builder panel): nothing
// by default, scripts only by a fresh CSPRNG nonce, no 'unsafe-inline' / 'unsafe-eval', no
// connect-src (the webview never talks to a network), and no script or handler without the nonce.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createNonce, requestBuilderHtml } from '../../../src/host/requestBuilder/webviewHtml';

const webview = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net' } as unknown as vscode.Webview;
const uri = (path: string): vscode.Uri => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${path}` }) as unknown as vscode.Uri;

/** Every webview page builder, with the arguments the host passes. */
const PAGES: Array<{ name: string; html: (nonce: string) => string }> = [
  { name: 'request builder', html: (nonce) => requestBuilderHtml(webview, uri('/dist/webview/requestBuilder.js'), uri('/dist/webview/requestBuilder.css'), nonce) },
];

function cspOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of metas[0]![1]!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

describe('webview CSP', () => {
  for (const page of PAGES) {
    test(`${page.name}: default-src 'none', nonce-only scripts, nothing unsafe, no network`, () => {
      const nonce = createNonce();
      const html = page.html(nonce);
      const csp = cspOf(html);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`], 'scripts only by nonce');
      assert.equal(csp.has('connect-src'), false, 'no connect-src: the host does all HTTP');
      for (const [name, sources] of csp) {
        for (const source of sources) {
          assert.ok(!/unsafe-(inline|eval|hashes)|wasm-unsafe-eval|^\*$|^https?:$|^data:$|^blob:$/i.test(source), `${name} allows ${source}`);
        }
      }
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      assert.ok(scripts.length >= 1);
      for (const [, attrs, body] of scripts) {
        assert.match(attrs ?? '', new RegExp(`nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}"`), 'every script carries the nonce');
        assert.equal((body ?? '').trim(), '', 'no inline script code');
      }
      assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no inline event handler attributes');
      assert.ok(!/javascript:/i.test(html));
    });
  }

  test('nonces are 16 CSPRNG bytes, fresh for each page load', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const nonce = createNonce();
      assert.equal(Buffer.from(nonce, 'base64').length, 16);
      assert.ok(!seen.has(nonce), 'a nonce repeated');
      seen.add(nonce);
    }
  });
});
