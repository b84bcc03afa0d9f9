import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/** A CSP nonce: 16 bytes from the OS CSPRNG (never Math.random), fresh for every page load. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The panel page. CSP: nothing by default; scripts only with this load's nonce; styles and
 * fonts only from the extension's own files (@vscode-elements/Lit styles its shadow roots with
 * constructable stylesheets — adoptedStyleSheets — which style-src does not govern, so no
 * 'unsafe-inline' is needed); no connect-src: the webview never talks to a network, the host
 * does all HTTP.
 */
export function requestBuilderHtml(webview: vscode.Webview, scriptUri: vscode.Uri, styleUri: vscode.Uri, nonce: string): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>Request Builder</title>
</head>
<body>
<main id="app" aria-label="Magento request builder"><p class="loading">Loading the request builder…</p></main>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
