// ServiceInputProcessor + ParamsOverrider: turns the merged request data (body keys, query
// params, path params; camelCase or snake_case) into the service method's named parameters.
import { MESSAGES, WebapiError, inputError, requiredField, type ErrorEntry } from '../errors';
import type { Caller } from '../auth/caller';
import type { RouteParam, SyncRoute, TypeRef } from './routeTypes';

export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/gi, (_m, c: string) => c.toUpperCase());
}

export function camelToSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Value for a parameter from input keyed camelCase or snake_case (the first key in input order wins). */
function lookup(input: Record<string, unknown>, name: string): { found: boolean; value: unknown } {
  for (const key in input) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) continue;
    if (key === name || (key.includes('_') && snakeToCamel(key) === name)) return { found: true, value: input[key] };
  }
  return { found: false, value: undefined };
}

function convertScalar(param: RouteParam, value: unknown): unknown {
  const t: TypeRef = param.type;
  if (t.kind !== 'scalar') return value;
  const invalid = (): WebapiError => new WebapiError(400, MESSAGES.invalidType, { value: typeof value === 'string' ? value : JSON.stringify(value), type: phpTypeName(t.type) });
  switch (t.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number.parseInt(value, 10);
      throw invalid();
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      throw invalid();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === '1' || value === 'true' || value === 1) return true;
      if (value === '0' || value === 'false' || value === '' || value === 0) return false;
      throw invalid();
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalid();
  }
}

function phpTypeName(t: 'string' | 'integer' | 'number' | 'boolean'): string {
  return t === 'integer' ? 'int' : t === 'number' ? 'float' : t === 'boolean' ? 'bool' : 'string';
}

export interface BindOptions {
  method: string;
  caller: Caller;
  /** Path parameter values (sync: from the URL; bulk: from each item). */
  pathParams?: Record<string, string>;
  /** webapi/validation/complex_array_limit when input limits are on (EntityArrayValidator). */
  complexArrayLimit?: number;
}

/** Item interfaces of the arrays of objects the sandbox's routes accept, by property name. */
const ARRAY_ITEM_TYPES: Record<string, string> = {
  custom_attributes: 'Magento\\Framework\\Api\\AttributeInterface',
  addresses: 'Magento\\Customer\\Api\\Data\\AddressInterface',
  sourceItems: 'Magento\\InventoryApi\\Api\\Data\\SourceItemInterface',
  items: 'Magento\\Sales\\Api\\Data\\ShipmentItemCreationInterface',
  tracks: 'Magento\\Sales\\Api\\Data\\ShipmentTrackCreationInterface',
  packages: 'Magento\\Sales\\Api\\Data\\ShipmentPackageCreationInterface',
  media_gallery_entries: 'Magento\\Catalog\\Api\\Data\\ProductAttributeMediaGalleryEntryInterface',
  tier_prices: 'Magento\\Catalog\\Api\\Data\\ProductTierPriceInterface',
  options: 'Magento\\Catalog\\Api\\Data\\ProductCustomOptionInterface',
  product_links: 'Magento\\Catalog\\Api\\Data\\ProductLinkInterface',
  category_links: 'Magento\\Catalog\\Api\\Data\\CategoryLinkInterface',
};

export const MAX_ITEMS_MESSAGE = 'Maximum items of type "%type" is %max';

/** EntityArrayValidator: any array of objects in the input longer than the limit is a 400. */
function checkComplexArrays(value: unknown, key: string, limit: number): void {
  if (Array.isArray(value)) {
    if (value.length > limit && value.some((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      throw new WebapiError(400, MAX_ITEMS_MESSAGE, { type: ARRAY_ITEM_TYPES[key] ?? ARRAY_ITEM_TYPES[camelToSnake(key)] ?? 'array', max: limit });
    }
    for (const item of value) checkComplexArrays(item, key, limit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkComplexArrays(v, k, limit);
  }
}

/**
 * Binds input to the route's parameters. Throws 400 with Magento's required/type errors
 * (aggregate when several). Returns camelCase-keyed parameters.
 */
export function bindRouteInput(route: SyncRoute, input: Record<string, unknown>, options: BindOptions): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...input, ...(options.pathParams ?? {}) };
  // Forced parameters always come from the token (self routes).
  for (const [name, source] of Object.entries(route.forced ?? {})) {
    if (source === 'customer_id') merged[name] = options.caller.kind === 'customer' ? options.caller.userId : null;
  }
  // PUT: the URL's id overrides the id inside the entity body (ParamsOverrider::overrideRequestBodyIdWithPathParam).
  if (options.method === 'PUT') {
    for (const [pathName, target] of Object.entries(route.pathOverrides ?? {})) {
      const pathValue = lookup(merged, pathName);
      const entity = lookup(merged, target.param);
      if (pathValue.found && entity.found && entity.value !== null && typeof entity.value === 'object' && !Array.isArray(entity.value)) {
        const copy: Record<string, unknown> = { ...(entity.value as Record<string, unknown>) };
        const existingKey = Object.keys(copy).find((k) => k === target.field || camelToSnake(k) === target.field);
        copy[existingKey ?? target.field] = pathValue.value;
        merged[target.param] = copy;
      }
    }
  }
  const bound: Record<string, unknown> = {};
  const missing: ErrorEntry[] = [];
  for (const param of route.params) {
    const { found, value } = lookup(merged, param.name);
    if (!found || value === undefined) {
      if (param.required) missing.push(requiredField(param.name));
      continue;
    }
    if (value === null) {
      if (param.required) missing.push(requiredField(param.name));
      continue;
    }
    // `searchCriteria=` (an empty query value for an object parameter) binds an empty object;
    // a scalar *body* value for an object is a 400 (MalformedRequestErrorHandlingTest).
    if (param.type.kind === 'ref' && value === '' && param.in === 'query') {
      bound[param.name] = {};
      continue;
    }
    if (param.type.kind === 'ref' && (typeof value !== 'object' || Array.isArray(value))) {
      throw new WebapiError(400, MESSAGES.invalidType, { value: typeof value === 'string' ? value : JSON.stringify(value), type: param.type.name });
    }
    if (param.type.kind === 'array') {
      // A PHP array from the query (`storeCodes[]=a`) or a JSON object keyed 0..n-1 is the same list.
      bound[param.name] = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value as Record<string, unknown>) : [value];
      continue;
    }
    bound[param.name] = convertScalar(param, value);
  }
  if (missing.length > 0) throw inputError(missing);
  if (options.complexArrayLimit !== undefined) {
    for (const [name, value] of Object.entries(bound)) checkComplexArrays(value, name, options.complexArrayLimit);
  }
  return bound;
}
