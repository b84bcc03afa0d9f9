import type { RouteMatch, RouteMethod, SyncRoute } from './routeTypes';

interface CompiledRoute {
  route: SyncRoute;
  segments: readonly string[];
  paramCount: number;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * Router::match: routes of the request's method whose segments match (`:name` matches any one
 * non-empty segment). When several match, literal segments win (`/V1/customers/me` over
 * `/V1/customers/:customerId`), which is what Magento's route ordering produces in practice.
 */
export class RouteTable {
  private readonly compiled: CompiledRoute[] = [];

  add(route: SyncRoute): void {
    const segments = splitPath(route.path);
    this.compiled.push({ route, segments, paramCount: segments.filter((s) => s.startsWith(':')).length });
  }

  addAll(routes: Iterable<SyncRoute>): void {
    for (const r of routes) this.add(r);
  }

  all(): SyncRoute[] {
    return this.compiled.map((c) => c.route);
  }

  find(method: RouteMethod, template: string): SyncRoute | undefined {
    return this.compiled.find((c) => c.route.method === method && c.route.path === template)?.route;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = splitPath(path);
    let best: { c: CompiledRoute; params: Record<string, string> } | undefined;
    for (const c of this.compiled) {
      if (c.route.method !== method || c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith(':')) {
          params[seg.slice(1)] = safeDecode(part);
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      // Later registrations win ties (Router keeps the last match); fewer placeholders win first.
      if (!best || c.paramCount <= best.c.paramCount) best = { c, params };
    }
    return best ? { route: best.c.route, pathParams: best.params } : undefined;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
