// Short constructors for route parameter and response types.
import type { RouteParam, TypeRef } from './routeTypes';

export const T = {
  string: { kind: 'scalar', type: 'string' } as TypeRef,
  int: { kind: 'scalar', type: 'integer' } as TypeRef,
  number: { kind: 'scalar', type: 'number' } as TypeRef,
  bool: { kind: 'scalar', type: 'boolean' } as TypeRef,
  mixed: { kind: 'mixed' } as TypeRef,
  ref: (name: string): TypeRef => ({ kind: 'ref', name }),
  array: (items: TypeRef): TypeRef => ({ kind: 'array', items }),
};

export function pathParam(name: string, type: TypeRef = T.string): RouteParam {
  return { name, in: 'path', type, required: true };
}

export function bodyParam(name: string, type: TypeRef, required = true): RouteParam {
  return { name, in: 'body', type, required };
}

export function queryParam(name: string, type: TypeRef, required = false): RouteParam {
  return { name, in: 'query', type, required };
}

export const SEARCH_CRITERIA = 'framework-search-criteria-interface';

export function searchCriteriaParam(): RouteParam {
  return { name: 'searchCriteria', in: 'query', type: T.ref(SEARCH_CRITERIA), required: true };
}
