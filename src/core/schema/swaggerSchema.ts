// A Magento Swagger 2.0 document (contract §8.1): the store's `GET /rest/<store>/schema` or a
// file such as AdobeDocs' published dumps. Read once, then asked for operations, for the
// operation a concrete path hits, and for (resolved) definitions.

import * as z from 'zod';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A JSON Schema object as Swagger 2.0 uses it (only what the workbench reads is typed). */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  additionalProperties?: boolean | JsonSchema;
  [key: string]: unknown;
}

export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

// Schemas are checked shallowly (an object each): a store's document holds hundreds of
// definitions, and validating them deeply cost most of the parse time. Their insides are read
// defensively where used (`resolve()` reports a dangling or cyclic `$ref`).
const jsonSchema = z.custom<JsonSchema>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { message: 'expected a JSON schema object' },
);

const parameterSchema = z.looseObject({
  name: z.string(),
  in: z.enum(['path', 'query', 'body', 'header', 'formData']),
  type: z.string().optional(),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: jsonSchema.optional(),
  items: jsonSchema.optional(),
});

const responseSchema = z.looseObject({
  description: z.string().optional(),
  schema: jsonSchema.optional(),
});

const operationSchema = z.looseObject({
  tags: z.array(z.string()).optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  operationId: z.string().optional(),
  parameters: z.array(parameterSchema).optional(),
  responses: z.record(z.string(), responseSchema).optional(),
});

const pathItemSchema = z.record(z.string(), z.unknown());

const documentSchema = z.looseObject({
  swagger: z.literal('2.0', { error: 'only Swagger 2.0 documents are supported (the "swagger" field must be "2.0")' }),
  info: z.looseObject({ title: z.string().optional(), version: z.string().optional() }).optional(),
  host: z.string().optional(),
  basePath: z.string().optional(),
  schemes: z.array(z.string()).optional(),
  tags: z.array(z.looseObject({ name: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), pathItemSchema),
  definitions: z.record(z.string(), jsonSchema).optional(),
});

type RawOperation = z.infer<typeof operationSchema>;
type RawParameter = z.infer<typeof parameterSchema>;

export interface SchemaParameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header' | 'formData';
  type?: string;
  required: boolean;
  description?: string;
  /** `items` for array query params, `schema` for the body param. */
  schema?: JsonSchema;
}

export interface SchemaOperation {
  method: HttpMethod;
  /** As written in the document: `/V1/products/{sku}`. */
  pathTemplate: string;
  pathParams: SchemaParameter[];
  queryParams: SchemaParameter[];
  bodyParam?: SchemaParameter;
  /** `#/definitions/...` of the body when the body schema is a bare `$ref` (rare in Magento). */
  bodyDefinitionRef?: string;
  /**
   * Magento wraps entities in the body (`{"product": {...}, "saveOptions": true}`): the wrapper
   * property holding the main entity and its definition — the only required `$ref` property, or
   * the only `$ref` property when none is required.
   */
  bodyEntity?: { property: string; ref: string; isArray: boolean };
  /** The success response's schema (200, else 201/202, else the first 2xx). */
  responseSchema?: JsonSchema;
  /** `#/definitions/...` of the success response, also through an array's `items`. */
  responseDefinitionRef?: string;
  /** True when the success response is an array of `responseDefinitionRef`. */
  responseIsArray: boolean;
  /** Status code of the success response used above (e.g. "200", "202"). */
  successStatus?: string;
  operationId: string;
  /** The first tag: the service name in a store's own document, a path in AdobeDocs' dumps. */
  tag: string;
  summary: string;
  description: string;
  /** Whether the operation declares a 401 response (i.e. is not anonymous). */
  requiresAuth: boolean;
}

export interface PathMatch {
  operation: SchemaOperation;
  pathParams: Record<string, string>;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(document)' : path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}

function describeZodError(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return first.join('; ') + more;
}

/** `{sku}` ↔ Magento's webapi.xml `:sku`: the router sorts route URLs in that form. */
function toMagentoRoute(template: string): string {
  return template.replace(/\{([^}]*)\}/g, ':$1');
}

interface CompiledRoute {
  operation: SchemaOperation;
  /** The webapi.xml form, sorted with strcmp like `ksort($routes, SORT_STRING)`. */
  magentoRoute: string;
  segments: { literal?: string; param?: string }[];
}

function phpUrlDecodeSegment(segment: string): string {
  // Route::match urldecode()s path parameters: `+` becomes a space, bad escapes stay.
  try {
    return decodeURIComponent(segment.replace(/\+/g, ' '));
  } catch {
    return segment.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * strcmp on UTF-8 bytes, i.e. code point order. UTF-16 unit order is the same unless a
 * surrogate pair is involved (and no Buffer: the module also runs in webviews).
 */
function byteCompare(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = Array.from(a, (ch) => ch.codePointAt(0)!);
  const right = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  }
  return left.length - right.length;
}

export class MagentoSchema {
  private readonly operationList: SchemaOperation[];
  private readonly routesByMethod = new Map<HttpMethod, CompiledRoute[]>();
  private readonly definitions: Record<string, JsonSchema>;
  readonly basePath: string | undefined;
  readonly title: string | undefined;
  readonly version: string | undefined;

  private constructor(document: z.infer<typeof documentSchema>, operations: SchemaOperation[]) {
    this.operationList = operations;
    this.definitions = document.definitions ?? {};
    this.basePath = document.basePath;
    this.title = document.info?.title;
    this.version = document.info?.version;
    for (const operation of operations) {
      const list = this.routesByMethod.get(operation.method) ?? [];
      list.push({
        operation,
        magentoRoute: toMagentoRoute(operation.pathTemplate),
        segments: operation.pathTemplate.replace(/^\/+|\/+$/g, '').split('/').map((segment) => {
          const param = /^\{([^}]*)\}$/.exec(segment);
          return param ? { param: param[1]! } : { literal: segment };
        }),
      });
      this.routesByMethod.set(operation.method, list);
    }
    for (const list of this.routesByMethod.values()) list.sort((a, b) => byteCompare(a.magentoRoute, b.magentoRoute));
  }

  /** Validates the document's structure and indexes it; throws SchemaError saying what is wrong. */
  static parse(json: unknown): MagentoSchema {
    if (typeof json === 'string') {
      try {
        json = JSON.parse(json) as unknown;
      } catch (error) {
        throw new SchemaError(`The schema is not valid JSON: ${(error as Error).message}`);
      }
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new SchemaError('The schema must be a JSON object (a Swagger 2.0 document from /rest/<store>/schema).');
    }
    if ('openapi' in json) {
      throw new SchemaError('This is an OpenAPI 3 document; Magento serves Swagger 2.0 (GET /rest/<store>/schema?services=all).');
    }
    const parsed = documentSchema.safeParse(json);
    if (!parsed.success) throw new SchemaError(`Not a usable Magento Swagger document: ${describeZodError(parsed.error)}`);
    const operations: SchemaOperation[] = [];
    for (const [pathTemplate, item] of Object.entries(parsed.data.paths)) {
      if (!pathTemplate.startsWith('/')) throw new SchemaError(`paths."${pathTemplate}": a path must start with "/".`);
      for (const [methodKey, rawOperation] of Object.entries(item)) {
        const method = methodKey.toUpperCase() as HttpMethod;
        if (!HTTP_METHODS.includes(method)) continue; // `parameters`, vendor extensions
        const operation = operationSchema.safeParse(rawOperation);
        if (!operation.success) {
          throw new SchemaError(`paths."${pathTemplate}".${methodKey}: ${describeZodError(operation.error)}`);
        }
        operations.push(buildOperation(method, pathTemplate, operation.data));
      }
    }
    return new MagentoSchema(parsed.data, operations);
  }

  operations(): SchemaOperation[] {
    return this.operationList;
  }

  /** Operations whose path, tag, summary, description or operationId contain every word of `text`. */
  search(text: string): SchemaOperation[] {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return this.operationList.filter((operation) => {
      const haystack = `${operation.method} ${operation.pathTemplate} ${operation.tag} ${operation.summary} ${operation.description} ${operation.operationId}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  operation(method: string, pathTemplate: string): SchemaOperation | undefined {
    const upper = method.toUpperCase();
    return this.operationList.find((operation) => operation.method === upper && operation.pathTemplate === pathTemplate);
  }

  /**
   * The operation a concrete request path hits, as Magento's REST router decides
   * (`Webapi\Model\Rest\Config::getRestRoutes` + `Router::match`):
   * 1. a route whose template equals the path exactly wins outright;
   * 2. otherwise routes starting with the path's first two segments (`/V1/products`) are taken
   *    in byte order of their webapi.xml form (`/V1/products/:sku`), every one that matches is
   *    collected, and the LAST wins. Since `:` sorts before letters, a literal segment beats a
   *    parameter (`/V1/products/attributes/...` over `/V1/products/:sku/...`) — but a literal
   *    starting with a digit or `-` sorts before `:` and loses to the parameter, as in Magento.
   * Accepts `/V1/...`, `/rest/<store>/V1/...`, `/index.php/rest/...` and a full URL; the query is ignored.
   */
  matchPath(method: string, concretePath: string): PathMatch | undefined {
    const routes = this.routesByMethod.get(method.toUpperCase() as HttpMethod);
    if (!routes) return undefined;
    const path = normalizeRequestPath(concretePath, this.basePath);
    const exact = routes.find((route) => route.operation.pathTemplate === path && route.segments.every((s) => s.literal !== undefined));
    if (exact) return { operation: exact.operation, pathParams: {} };
    const parts = path.replace(/^\/+|\/+$/g, '').split('/');
    const base = /^\/?\w+\/\w+/.exec(path)?.[0];
    if (!base) return undefined;
    const baseTrimmed = base.replace(/^\/+/, '');
    let winner: PathMatch | undefined;
    for (const route of routes) {
      if (!route.magentoRoute.replace(/^\/+/, '').startsWith(baseTrimmed)) continue;
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i]!;
        if (segment.param !== undefined) {
          params[segment.param] = phpUrlDecodeSegment(parts[i]!);
        } else if (segment.literal !== parts[i]) {
          matched = false;
          break;
        }
      }
      if (matched) winner = { operation: route.operation, pathParams: params };
    }
    return winner;
  }

  /** Definition names (`catalog-data-product-interface`, ...). */
  definitionNames(): string[] {
    return Object.keys(this.definitions);
  }

  /**
   * A definition by `#/definitions/name` or bare name, with its top-level `$ref` chain followed
   * (cycles and dangling refs throw SchemaError). Nested `$ref`s are left for the caller to
   * resolve lazily with `resolve()`, which keeps recursive definitions finite.
   */
  definition(ref: string): JsonSchema {
    return this.resolve({ $ref: ref.startsWith('#/') ? ref : `#/definitions/${ref}` });
  }

  /** Follows `$ref` until a concrete schema; throws SchemaError on a cycle or a missing target. */
  resolve(schema: JsonSchema): JsonSchema {
    const seen = new Set<string>();
    let current = schema;
    while (current.$ref !== undefined) {
      const ref = current.$ref;
      if (seen.has(ref)) throw new SchemaError(`$ref cycle: ${[...seen, ref].join(' → ')}`);
      seen.add(ref);
      const name = definitionName(ref);
      const target = name === undefined ? undefined : this.definitions[name];
      if (!target) throw new SchemaError(`$ref "${ref}" points to no definition in this schema.`);
      current = target;
    }
    return current;
  }

  hasDefinition(ref: string): boolean {
    const name = definitionName(ref.startsWith('#/') ? ref : `#/definitions/${ref}`);
    return name !== undefined && name in this.definitions;
  }
}

export function definitionName(ref: string): string | undefined {
  const match = /^#\/definitions\/(.+)$/.exec(ref);
  return match ? match[1]!.replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** Strips scheme/host, query, the `/rest/<store>` (or basePath) prefix, leaving `/V1/...`. */
export function normalizeRequestPath(input: string, basePath?: string): string {
  let path = input.trim();
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(path);
  if (absolute) path = absolute[1] || '/';
  path = path.replace(/[?#].*$/, '');
  if (!path.startsWith('/')) path = '/' + path;
  if (basePath && basePath !== '/' && path.startsWith(basePath + '/') && !/^\/V\d+\//.test(path)) {
    path = path.slice(basePath.length);
  }
  const rest = /^(?:\/index\.php)?\/rest(\/.*)?$/.exec(path);
  if (rest) {
    let remainder = rest[1] ?? '/';
    const first = remainder.split('/')[1];
    // The store segment (`default`, `all`, a store view code) comes before `V1`, or is absent.
    if (first !== undefined && first !== '' && !/^V\d+$/.test(first) && first !== 'async') {
      remainder = '/' + remainder.split('/').slice(2).join('/');
    }
    path = remainder.replace(/^\/async(?:\/bulk)?(?=\/V\d+)/, '');
  }
  return path;
}

function toParameter(raw: RawParameter): SchemaParameter {
  const parameter: SchemaParameter = { name: raw.name, in: raw.in, required: raw.required === true };
  if (raw.type !== undefined) parameter.type = raw.type;
  if (raw.description !== undefined) parameter.description = raw.description;
  if (raw.schema !== undefined) parameter.schema = raw.schema;
  else if (raw.items !== undefined) parameter.schema = { type: 'array', items: raw.items };
  return parameter;
}

function pickSuccess(responses: RawOperation['responses']): [string, JsonSchema | undefined] | undefined {
  if (!responses) return undefined;
  for (const code of ['200', '201', '202']) {
    if (responses[code]) return [code, responses[code].schema];
  }
  const first = Object.keys(responses).find((code) => /^2\d\d$/.test(code));
  return first ? [first, responses[first]!.schema] : undefined;
}

function bodyEntityOf(schema: JsonSchema): SchemaOperation['bodyEntity'] {
  const candidates = Object.entries(schema.properties ?? {}).flatMap(([property, value]) => {
    if (value.$ref) return [{ property, ref: value.$ref, isArray: false }];
    if (value.type === 'array' && value.items?.$ref) return [{ property, ref: value.items.$ref, isArray: true }];
    return [];
  });
  const required = new Set(schema.required ?? []);
  const requiredCandidates = candidates.filter((candidate) => required.has(candidate.property));
  if (requiredCandidates.length === 1) return requiredCandidates[0];
  return requiredCandidates.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
}

function buildOperation(method: HttpMethod, pathTemplate: string, raw: RawOperation): SchemaOperation {
  const parameters = (raw.parameters ?? []).map(toParameter);
  const body = parameters.find((parameter) => parameter.in === 'body');
  const success = pickSuccess(raw.responses);
  const operation: SchemaOperation = {
    method,
    pathTemplate,
    pathParams: parameters.filter((parameter) => parameter.in === 'path'),
    queryParams: parameters.filter((parameter) => parameter.in === 'query'),
    operationId: raw.operationId ?? `${method.toLowerCase()} ${pathTemplate}`,
    tag: raw.tags?.[0] ?? '',
    summary: raw.summary ?? '',
    description: raw.description ?? '',
    responseIsArray: false,
    requiresAuth: raw.responses?.['401'] !== undefined,
  };
  if (body) {
    operation.bodyParam = body;
    if (body.schema?.$ref) operation.bodyDefinitionRef = body.schema.$ref;
    const entity = body.schema ? bodyEntityOf(body.schema) : undefined;
    if (entity) operation.bodyEntity = entity;
  }
  if (success) {
    operation.successStatus = success[0];
    const schema = success[1];
    if (schema) {
      operation.responseSchema = schema;
      if (schema.$ref) {
        operation.responseDefinitionRef = schema.$ref;
      } else if (schema.type === 'array' && schema.items?.$ref) {
        operation.responseDefinitionRef = schema.items.$ref;
        operation.responseIsArray = true;
      }
    }
  }
  return operation;
}
