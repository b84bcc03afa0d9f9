// Choosing an endpoint from the store's schema (write routes only).
import * as vscode from 'vscode';
import { type CatalogRoute, type RouteCatalog } from '../../core/convert/routeCatalog';


const WRITE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export async function pickEndpoint(catalog: RouteCatalog, title: string): Promise<CatalogRoute | undefined> {
  const items = catalog.routes()
    .filter((r) => WRITE.has(r.method.toUpperCase()))
    .map((route) => ({ label: `${route.method.toUpperCase()} ${route.pathTemplate}`, description: route.summary && route.summary !== route.pathTemplate.replace(/^\/V1\//, '') ? route.summary : '', route }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Endpoint (from the store\'s schema) — e.g. PUT /V1/products/{sku}'), matchOnDescription: true });
  return pick?.route;
}

