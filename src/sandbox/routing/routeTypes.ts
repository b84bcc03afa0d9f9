// The sandbox's route table: one entry per webapi.xml <route>, keeping the service-method shape
// (named parameters such as `product`, `saveOptions`) so queued async operations can replay a
// route later through `SandboxApp.executeRoute()`.
import type { StoreView } from '../stores';
import type { Caller } from '../auth/caller';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A type as the schema generator renders it. */
export type TypeRef =
  | { kind: 'scalar'; type: 'string' | 'integer' | 'number' | 'boolean' }
  | { kind: 'ref'; name: string }
  | { kind: 'array'; items: TypeRef }
  | { kind: 'mixed' };

export interface RouteParam {
  /** Service-method parameter name, camelCase (`product`, `saveOptions`, `searchCriteria`). */
  name: string;
  /** Where a sync request supplies it: path placeholder, body key, or query key. */
  in: 'path' | 'body' | 'query';
  type: TypeRef;
  required: boolean;
  description?: string;
}

/** `self` = the customer owning the token; `anonymous` = everybody (webapi.xml resource refs). */
export type RouteAcl = readonly string[];

export interface ServiceRef {
  /** PHP interface, e.g. `Magento\\Catalog\\Api\\ProductRepositoryInterface` (topic names derive from it). */
  className: string;
  /** Schema service name, e.g. `catalogProductRepositoryV1`. */
  name: string;
  /** PHP method, e.g. `save`, `getList`. */
  method: string;
}

export interface RouteCall {
  /** Bound service-method parameters, camelCase keys. */
  params: Record<string, unknown>;
  store: StoreView;
  caller: Caller;
}

export interface SyncRoute {
  method: RouteMethod;
  /** Magento template with `:param` placeholders, e.g. `/V1/products/:sku`. */
  path: string;
  service: ServiceRef;
  /** ACL resources (OR-ed): `['anonymous']`, `['self']`, `['Magento_Catalog::products']`. */
  acl: RouteAcl;
  params: readonly RouteParam[];
  /** Parameters always taken from the token (`<parameter force="true">%customer_id%`). */
  forced?: Readonly<Record<string, 'customer_id'>>;
  /** PUT path parameter → `entityParam.field` override (ParamsOverrider). */
  pathOverrides?: Readonly<Record<string, { param: string; field: string }>>;
  response: TypeRef;
  summary: string;
  /** HTTP codes listed from `@throws` (404/400), rendered in the schema. */
  throws?: readonly number[];
  /** `synchronousInvocationOnly`: not offered as async. */
  synchronousOnly?: boolean;
  handler(call: RouteCall): unknown;
}

export interface RouteMatch {
  route: SyncRoute;
  pathParams: Record<string, string>;
}

/** Async topic name: async.<interface lower, \ → .>.<method lower>.<verb lower> (contract §6.2). */
export function topicName(route: SyncRoute): string {
  return `async.${route.service.className.toLowerCase().replace(/\\/g, '.')}.${route.service.method.toLowerCase()}.${route.method.toLowerCase()}`;
}
