// `--schema FILE`: every operation of a real Magento Swagger document becomes a sandbox route
// (contract §8.1 shapes), so a client can be exercised against a store's whole API surface.
// Request bodies are validated against the document's definitions; responses are synthesized
// from the success response's definition (the posted entity when the route returns what it
// takes). Routes the sandbox implements natively keep their real behaviour.
import { readFileSync } from 'node:fs';
import { buildBodySkeleton } from '../../core/schema/bodySkeleton';
import { MagentoSchema, definitionName, type JsonSchema, type SchemaOperation } from '../../core/schema/swaggerSchema';
import type { SandboxApp } from '../app';
import type { RouteMethod, RouteParam, SyncRoute, TypeRef } from '../routing/routeTypes';
import { definitionsFor } from '../schema/definitions';
import { validateAgainstSchema } from './schemaBodyValidator';

/**
 * A route whose bound parameters get a deeper structural check. The async processor calls it at
 * submit time, so a bulk item that breaks the definitions fails the whole request (§6.1).
 */
export interface ValidatingRoute extends SyncRoute {
  validateParams(params: Record<string, unknown>): void;
}

export function hasParamValidation(route: SyncRoute): route is ValidatingRoute {
  return typeof (route as Partial<ValidatingRoute>).validateParams === 'function';
}

const ROUTE_METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** Any non-anonymous ACL resource: the sandbox's admin and integration may call it, guests and customers may not. */
export const SCHEMA_FILE_ACL = 'Magento_Backend::admin';

export function loadSchemaFile(file: string): MagentoSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the --schema file ${file}: ${(error as Error).message}`);
  }
  try {
    return MagentoSchema.parse(text);
  } catch (error) {
    throw new Error(`the --schema file ${file} is not a usable Magento schema: ${(error as Error).message}`);
  }
}

function typeRefOf(node: JsonSchema | undefined, fallbackType?: string): TypeRef {
  if (node?.$ref) return { kind: 'ref', name: definitionName(node.$ref) ?? node.$ref };
  const type = node?.type ?? fallbackType;
  if (type === 'array') return { kind: 'array', items: typeRefOf(node?.items) };
  if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') return { kind: 'scalar', type };
  return { kind: 'mixed' };
}

const VERBS = ['Get', 'Post', 'Put', 'Delete', 'Patch'];

/**
 * Service identity for topic names and messages. A store's own document has operationIds like
 * `catalogProductRepositoryV1SavePost` with the service name as tag; AdobeDocs' dumps have
 * `PostV1Products` and path tags, so a synthetic name is used there [inferred].
 */
export function serviceOf(operation: SchemaOperation): SyncRoute['service'] {
  const verb = VERBS.find((v) => operation.operationId.endsWith(v));
  if (/^[a-z][A-Za-z0-9]*V\d+$/.test(operation.tag) && verb && operation.operationId.startsWith(operation.tag)) {
    const methodPascal = operation.operationId.slice(operation.tag.length, -verb.length);
    const words = operation.tag.replace(/V\d+$/, '').split(/(?=[A-Z])/);
    const module = (words[0] ?? 'x').replace(/^./, (c) => c.toUpperCase());
    return {
      className: `Magento\\${module}\\Api\\${words.slice(1).join('')}Interface`,
      name: operation.tag,
      method: methodPascal.replace(/^./, (c) => c.toLowerCase()),
    };
  }
  const id = operation.operationId.replace(/[^A-Za-z0-9]/g, '');
  return { className: `Magento\\SchemaFile\\Api\\${id}Interface`, name: `schemaFile${id}`, method: operation.method.toLowerCase() };
}

function paramsOf(operation: SchemaOperation): RouteParam[] {
  const params: RouteParam[] = [];
  for (const p of operation.pathParams) {
    params.push({ name: p.name, in: 'path', type: typeRefOf(p.schema, p.type ?? 'string'), required: true });
  }
  // Flattened query params (`searchCriteria[filterGroups][0]...`) bind to their root parameter.
  const roots = new Map<string, RouteParam>();
  for (const p of operation.queryParams) {
    const bracket = p.name.indexOf('[');
    const root = bracket < 0 ? p.name : p.name.slice(0, bracket);
    if (roots.has(root)) continue;
    roots.set(root, {
      name: root,
      in: 'query',
      type: bracket < 0 ? typeRefOf(p.schema, p.type) : { kind: 'ref', name: root === 'searchCriteria' ? 'framework-search-criteria-interface' : root },
      required: p.required || root === 'searchCriteria',
    });
  }
  params.push(...roots.values());
  const body = operation.bodyParam?.schema;
  if (body?.properties) {
    const required = new Set(body.required ?? []);
    for (const [name, property] of Object.entries(body.properties)) {
      params.push({ name, in: 'body', type: typeRefOf(property), required: required.has(name) });
    }
  }
  return params;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A response for `operation`: the posted entity when the route returns its own body type, else a skeleton. */
function synthesizeResponse(schema: MagentoSchema, operation: SchemaOperation, params: Record<string, unknown>): unknown {
  const response = operation.responseSchema;
  if (!response) return true;
  const resolved = schema.resolve(response);
  if (resolved.type === 'boolean') return true;
  const skeleton = buildBodySkeleton(schema, response, { includeOptional: false });
  const ref = operation.responseDefinitionRef;
  const bodyProps = operation.bodyParam?.schema?.properties ?? {};
  if (ref && !operation.responseIsArray) {
    const echoed = Object.entries(bodyProps).find(([, property]) => property.$ref === ref);
    const entity = echoed ? params[echoed[0]] : undefined;
    if (isRecord(entity) && isRecord(skeleton)) return { ...skeleton, ...entity };
  }
  return skeleton;
}

/**
 * PUT: ParamsOverrider forces a path value into the entity (`PUT /V1/products/{sku}` sets
 * `product.sku`); here for every body entity whose definition has a property of that name.
 */
function overridesOf(schema: MagentoSchema, operation: SchemaOperation): Record<string, { param: string; field: string }> {
  const out: Record<string, { param: string; field: string }> = {};
  const bodyProps = operation.bodyParam?.schema?.properties ?? {};
  for (const p of operation.pathParams) {
    const field = p.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    for (const [name, property] of Object.entries(bodyProps)) {
      if (!property.$ref || !schema.hasDefinition(property.$ref)) continue;
      const definition = schema.resolve(property);
      if (definition.properties && (field in definition.properties || p.name in definition.properties)) {
        out[p.name] = { param: name, field: field in definition.properties ? field : p.name };
        break;
      }
    }
  }
  return out;
}

function toRoute(schema: MagentoSchema, operation: SchemaOperation): ValidatingRoute | undefined {
  const method = operation.method as RouteMethod;
  if (!ROUTE_METHODS.includes(method)) return undefined;
  const params = paramsOf(operation);
  const bodySchema = operation.bodyParam?.schema;
  const pathOverrides = method === 'PUT' ? overridesOf(schema, operation) : {};
  return {
    method,
    path: operation.pathTemplate.replace(/\{([^}]+)\}/g, ':$1'),
    service: serviceOf(operation),
    acl: operation.requiresAuth ? [SCHEMA_FILE_ACL] : ['anonymous'],
    params,
    response: typeRefOf(operation.responseSchema),
    summary: operation.description || operation.summary,
    pathOverrides,
    validateParams,
    handler: ({ params: bound }) => {
      validateParams(bound);
      return synthesizeResponse(schema, operation, bound);
    },
  };
  function validateParams(bound: Record<string, unknown>): void {
    if (!bodySchema?.properties) return;
    // bindRouteInput checked presence and top-level types; the definitions decide the rest.
    const present: Record<string, unknown> = {};
    for (const name of Object.keys(bodySchema.properties)) if (bound[name] !== undefined) present[name] = bound[name];
    validateAgainstSchema(schema, { ...bodySchema, required: [] }, present);
  }
}

/** Adds the document's routes the sandbox does not serve itself; returns how many were added. */
export function registerSchemaFileRoutes(app: Pick<SandboxApp, 'routes'>, schema: MagentoSchema): number {
  let added = 0;
  for (const operation of schema.operations()) {
    const route = toRoute(schema, operation);
    if (!route || app.routes.find(route.method, route.path)) continue;
    app.routes.add(route);
    added++;
  }
  return added;
}

function refsOf(type: TypeRef, out: Set<string>): void {
  if (type.kind === 'ref') out.add(type.name);
  else if (type.kind === 'array') refsOf(type.items, out);
}

/**
 * Makes the file's definitions available to the sandbox's own schema documents, except those the
 * sandbox already describes for its native routes (its description matches what it returns).
 */
function registerDefinitions(app: SandboxApp, schema: MagentoSchema): void {
  const nativeRefs = new Set<string>();
  for (const route of app.routes.all()) {
    refsOf(route.response, nativeRefs);
    for (const p of route.params) refsOf(p.type, nativeRefs);
  }
  const native = new Set(Object.keys(definitionsFor(nativeRefs, app.schemaDefinitions)));
  for (const name of schema.definitionNames()) {
    if (native.has(name) || app.schemaDefinitions.has(name)) continue;
    app.schemaDefinitions.set(name, schema.definition(name) as Record<string, unknown>);
  }
}

export function installSchemaFile(app: SandboxApp): void {
  const file = app.settings.schemaFile;
  if (!file) return;
  const schema = loadSchemaFile(file);
  registerDefinitions(app, schema);
  registerSchemaFileRoutes(app, schema);
}
