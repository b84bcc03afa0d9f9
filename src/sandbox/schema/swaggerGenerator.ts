// Magento's REST Swagger generator (Webapi/Model/Rest/Swagger/Generator) over the sandbox's route
// table: one path per route template, lower-case verbs, operationId = service + Method + Verb,
// flattened searchCriteria query params, a `$body` parameter, responses and lower-dash definitions.
import { isAllowed, type Caller } from '../auth/caller';
import type { RouteParam, SyncRoute, TypeRef } from '../routing/routeTypes';
import { SEARCH_CRITERIA } from '../routing/types';
import { definitionsFor, type SwaggerSchema } from './definitions';

export interface SwaggerOptions {
  host: string;
  basePath: string;
  scheme: string;
  /** Service names (`catalogProductRepositoryV1`) or undefined for all. */
  services: readonly string[] | undefined;
  caller: Caller;
  /** Definitions registered by plugins (e.g. the bulk status types), by lower-dash name. */
  definitions?: ReadonlyMap<string, SwaggerSchema>;
  /**
   * Lets the async/bulk schema reuse the generator: return undefined to drop a route, or a
   * replacement path template / response for it.
   */
  transform?: (route: SyncRoute) => { path?: string; response?: { code: string; description: string; ref: string } } | undefined;
}

const SEARCH_CRITERIA_QUERY: ReadonlyArray<[string, string, string]> = [
  ['[filterGroups][0][filters][0][field]', 'string', 'Field'],
  ['[filterGroups][0][filters][0][value]', 'string', 'Value'],
  ['[filterGroups][0][filters][0][conditionType]', 'string', 'Condition type'],
  ['[sortOrders][0][field]', 'string', 'Sorting field.'],
  ['[sortOrders][0][direction]', 'string', 'Sorting direction.'],
  ['[pageSize]', 'integer', 'Page size.'],
  ['[currentPage]', 'integer', 'Current page.'],
];

function ucfirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function typeSchema(t: TypeRef, refs: Set<string>): SwaggerSchema {
  switch (t.kind) {
    case 'scalar':
      return { type: t.type };
    case 'ref':
      refs.add(t.name);
      return { $ref: `#/definitions/${t.name}` };
    case 'array':
      return { type: 'array', items: typeSchema(t.items, refs) };
    case 'mixed':
      return { type: 'string' };
  }
}

function queryParams(param: RouteParam, refs: Set<string>): SwaggerSchema[] {
  if (param.type.kind === 'ref' && param.type.name === SEARCH_CRITERIA) {
    return SEARCH_CRITERIA_QUERY.map(([suffix, type, description]) => ({ name: `${param.name}${suffix}`, in: 'query', type, description }));
  }
  if (param.type.kind === 'array') {
    return [{ name: `${param.name}[]`, in: 'query', type: 'array', items: typeSchema(param.type.items, refs), required: param.required }];
  }
  return [{ name: param.name, in: 'query', type: param.type.kind === 'scalar' ? param.type.type : 'string', required: param.required }];
}

export function buildSwaggerDocument(routes: readonly SyncRoute[], options: SwaggerOptions): Record<string, unknown> {
  const refs = new Set<string>();
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, string>();
  for (const route of routes) {
    if (options.services && !options.services.includes(route.service.name)) continue;
    if (!isAllowed(options.caller, route.acl)) continue;
    const change = options.transform ? options.transform(route) : {};
    if (change === undefined) continue;
    const template = (change.path ?? route.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const forced = new Set(Object.keys(route.forced ?? {}));
    const parameters: SwaggerSchema[] = [];
    const bodyProps: Record<string, SwaggerSchema> = {};
    const bodyRequired: string[] = [];
    for (const p of route.params) {
      if (forced.has(p.name)) continue;
      if (p.in === 'path') {
        if (template.includes(`{${p.name}}`)) parameters.push({ name: p.name, in: 'path', type: p.type.kind === 'scalar' ? p.type.type : 'string', required: true });
        else {
          bodyProps[p.name] = typeSchema(p.type, refs);
          bodyRequired.push(p.name);
        }
      } else if (p.in === 'query' || route.method === 'GET' || route.method === 'DELETE') {
        parameters.push(...queryParams(p, refs));
      } else {
        bodyProps[p.name] = typeSchema(p.type, refs);
        if (p.required) bodyRequired.push(p.name);
      }
    }
    if (Object.keys(bodyProps).length > 0) {
      const schema: SwaggerSchema = { required: bodyRequired, properties: bodyProps, type: 'object' };
      if (bodyRequired.length === 0) delete schema.required;
      parameters.push({ name: '$body', in: 'body', schema });
    }
    const responses: Record<string, SwaggerSchema> = {};
    if (change.response) {
      refs.add(change.response.ref);
      responses[change.response.code] = { description: change.response.description, schema: { $ref: `#/definitions/${change.response.ref}` } };
    } else if (route.response.kind === 'mixed') {
      responses['200'] = { description: '200 Success.' };
    } else {
      responses['200'] = { description: '200 Success.', schema: typeSchema(route.response, refs) };
    }
    const errorSchema = { $ref: '#/definitions/error-response' };
    if (route.throws?.includes(400)) responses['400'] = { description: '400 Bad Request', schema: errorSchema };
    if (!route.acl.includes('anonymous')) responses['401'] = { description: '401 Unauthorized', schema: errorSchema };
    if (route.throws?.includes(404)) responses['404'] = { description: '404 Not Found', schema: errorSchema };
    responses.default = { description: 'Unexpected error', schema: errorSchema };
    const verb = route.method.toLowerCase();
    const operation: Record<string, unknown> = {
      tags: [route.service.name],
      description: route.summary,
      operationId: `${route.service.name}${ucfirst(route.service.method)}${ucfirst(verb)}`,
      parameters,
      responses,
    };
    paths[template] ??= {};
    (paths[template] as Record<string, unknown>)[verb] = operation;
    if (!tags.has(route.service.name)) tags.set(route.service.name, route.service.className.replace(/\\/g, '\\'));
  }
  return {
    swagger: '2.0',
    info: { version: '2.4', title: 'Magento Community' },
    host: options.host,
    basePath: options.basePath,
    schemes: [options.scheme],
    tags: [...tags].map(([name, description]) => ({ name, description })),
    paths,
    definitions: definitionsFor(refs, options.definitions),
  };
}
