// Swagger definitions for the sandbox's types. Object definitions are inferred from the seeded
// entities themselves (so the schema describes exactly what the sandbox returns), with Magento's
// lower-dash names for nested types; framework and error types are written out.
import { CATEGORIES, seedStore, type Json, type JsonObject } from '../resources/seed';

export type SwaggerSchema = Record<string, unknown>;

/** Nested property → definition name (Magento's names for the data interfaces). */
const NESTED_NAMES: Record<string, string> = {
  'catalog-data-product-interface.extension_attributes': 'catalog-data-product-extension-interface',
  'catalog-data-product-extension-interface.stock_item': 'catalog-inventory-data-stock-item-interface',
  'catalog-data-product-extension-interface.category_links': 'catalog-data-category-link-interface',
  'catalog-data-product-interface.product_links': 'catalog-data-product-link-interface',
  'catalog-data-product-interface.options': 'catalog-data-product-custom-option-interface',
  'catalog-data-product-interface.media_gallery_entries': 'catalog-data-product-attribute-media-gallery-entry-interface',
  'catalog-data-product-interface.tier_prices': 'catalog-data-product-tier-price-interface',
  'customer-data-customer-interface.addresses': 'customer-data-address-interface',
  'customer-data-customer-interface.extension_attributes': 'customer-data-customer-extension-interface',
  'customer-data-address-interface.region': 'customer-data-region-interface',
  'sales-data-order-interface.items': 'sales-data-order-item-interface',
  'sales-data-order-interface.billing_address': 'sales-data-order-address-interface',
  'sales-data-order-interface.payment': 'sales-data-order-payment-interface',
  'sales-data-order-interface.status_histories': 'sales-data-order-status-history-interface',
  'sales-data-order-interface.extension_attributes': 'sales-data-order-extension-interface',
  'sales-data-order-extension-interface.shipping_assignments': 'sales-data-shipping-assignment-interface',
  'sales-data-shipping-assignment-interface.shipping': 'sales-data-shipping-interface',
  'sales-data-shipping-assignment-interface.items': 'sales-data-order-item-interface',
  'sales-data-shipping-interface.total': 'sales-data-total-interface',
  'catalog-data-category-tree-interface.children_data': 'catalog-data-category-tree-interface',
};

/** Samples for types whose seeded lists are empty. */
const EXTRA_SAMPLES: Record<string, JsonObject> = {
  'catalog-data-product-link-interface': { sku: '', link_type: '', linked_product_sku: '', linked_product_type: '', position: 0 },
  'catalog-data-product-custom-option-interface': { product_sku: '', option_id: 0, title: '', type: '', sort_order: 0, is_require: false, price: 0, price_type: '', sku: '' },
  'catalog-data-product-tier-price-interface': { customer_group_id: 0, qty: 0, value: 0 },
  'sales-data-order-status-history-interface': { comment: '', created_at: '', entity_id: 0, entity_name: '', is_customer_notified: 0, is_visible_on_front: 0, parent_id: 0, status: '' },
  'store-data-store-interface': { id: 0, code: '', name: '', website_id: 0, store_group_id: 0, is_active: 0, extension_attributes: {} },
  'store-data-store-config-interface': { id: 0, code: '', website_id: 0, locale: '', base_currency_code: '', default_display_currency_code: '', timezone: '', weight_unit: '', base_url: '', base_link_url: '', base_static_url: '', base_media_url: '', secure_base_url: '', secure_base_link_url: '', secure_base_static_url: '', secure_base_media_url: '', extension_attributes: {} },
  'inventory-api-data-source-item-interface': { sku: '', source_code: '', quantity: 0, status: 0 },
  'catalog-data-category-interface': { id: 0, parent_id: 0, name: '', is_active: true, position: 0, level: 0, children: '', created_at: '', updated_at: '', path: '', available_sort_by: [''], include_in_menu: true, custom_attributes: [{ attribute_code: '', value: '' }] },
  'sales-data-shipment-item-creation-interface': { order_item_id: 0, qty: 0 },
  'sales-data-shipment-comment-creation-interface': { comment: '', is_visible_on_front: 0 },
  'sales-data-shipment-track-creation-interface': { track_number: '', title: '', carrier_code: '' },
  'sales-data-shipment-package-creation-interface': { extension_attributes: {} },
  'sales-data-shipment-creation-arguments-interface': { extension_attributes: {} },
};

const REQUIRED: Record<string, string[]> = {
  'catalog-data-product-interface': ['sku'],
  'customer-data-customer-interface': ['email', 'firstname', 'lastname'],
  'cms-data-page-interface': ['identifier'],
  'cms-data-block-interface': ['identifier'],
  'inventory-api-data-source-item-interface': ['sku', 'source_code', 'quantity', 'status'],
  'framework-attribute-interface': ['attribute_code', 'value'],
  'sales-data-shipment-item-creation-interface': ['order_item_id', 'qty'],
};

const SEARCH_RESULT_ITEMS: Record<string, string> = {
  'catalog-data-product-search-results-interface': 'catalog-data-product-interface',
  'customer-data-customer-search-results-interface': 'customer-data-customer-interface',
  'inventory-api-data-source-item-search-results-interface': 'inventory-api-data-source-item-interface',
  'sales-data-order-search-result-interface': 'sales-data-order-interface',
  'cms-data-page-search-results-interface': 'cms-data-page-interface',
  'cms-data-block-search-results-interface': 'cms-data-block-interface',
};

const FIXED: Record<string, SwaggerSchema> = {
  'error-response': {
    type: 'object',
    properties: {
      message: { type: 'string', description: 'Error message' },
      errors: { $ref: '#/definitions/error-errors' },
      code: { type: 'integer', description: 'Error code' },
      parameters: { $ref: '#/definitions/error-parameters' },
      trace: { type: 'string', description: 'Stack trace' },
    },
    required: ['message'],
  },
  'error-errors': { type: 'array', description: 'Errors list', items: { $ref: '#/definitions/error-errors-item' } },
  'error-errors-item': { type: 'object', description: 'Error details', properties: { message: { type: 'string', description: 'Error message' }, parameters: { $ref: '#/definitions/error-parameters' } } },
  'error-parameters': { type: 'array', description: 'Error parameters list', items: { $ref: '#/definitions/error-parameters-item' } },
  'error-parameters-item': {
    type: 'object',
    description: 'Error parameters item',
    properties: { resources: { type: 'string', description: 'ACL resource' }, fieldName: { type: 'string', description: 'Missing or invalid field name' }, fieldValue: { type: 'string', description: 'Incorrect field value' } },
  },
  'framework-search-criteria-interface': {
    type: 'object',
    description: 'Search criteria interface.',
    properties: {
      filter_groups: { type: 'array', description: 'A list of filter groups.', items: { $ref: '#/definitions/framework-search-filter-group' } },
      sort_orders: { type: 'array', description: 'Sort order.', items: { $ref: '#/definitions/framework-sort-order' } },
      page_size: { type: 'integer', description: 'Page size.' },
      current_page: { type: 'integer', description: 'Current page.' },
    },
    required: ['filter_groups'],
  },
  'framework-search-filter-group': { type: 'object', description: 'Groups two or more filters together using a logical OR', properties: { filters: { type: 'array', description: 'A list of filters in this group', items: { $ref: '#/definitions/framework-filter' } } } },
  'framework-filter': {
    type: 'object',
    description: 'Filter which can be used by any methods from service layer.',
    properties: { field: { type: 'string', description: 'Field' }, value: { type: 'string', description: 'Value' }, condition_type: { type: 'string', description: 'Condition type' } },
    required: ['field', 'value'],
  },
  'framework-sort-order': { type: 'object', description: 'Data object for sort order.', properties: { field: { type: 'string', description: 'Sorting field.' }, direction: { type: 'string', description: 'Sorting direction.' } }, required: ['field', 'direction'] },
  'framework-attribute-interface': { type: 'object', description: 'Interface for custom attribute value.', properties: { attribute_code: { type: 'string', description: 'Attribute code' }, value: { type: 'string', description: 'Attribute value' } }, required: ['attribute_code', 'value'] },
};

const DECIMAL_KEY = /^(?!use_config_).*(^|_)(qty|quantity|price|amount|total|value|weight|cost)(_|$)/;

function scalarType(v: Json): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

class DefinitionBuilder {
  readonly defs = new Map<string, SwaggerSchema>();

  constructor(
    private readonly samples: Map<string, JsonObject>,
    private readonly extra: ReadonlyMap<string, SwaggerSchema>,
  ) {}

  ensure(name: string): void {
    if (this.defs.has(name)) return;
    const registered = this.extra.get(name);
    if (registered) {
      this.defs.set(name, registered);
      for (const ref of refsIn(registered)) this.ensure(ref);
      return;
    }
    const fixed = FIXED[name];
    if (fixed) {
      this.defs.set(name, fixed);
      for (const ref of refsIn(fixed)) this.ensure(ref);
      return;
    }
    const itemsOf = SEARCH_RESULT_ITEMS[name];
    if (itemsOf) {
      this.defs.set(name, {
        type: 'object',
        description: 'Search results interface.',
        properties: {
          items: { type: 'array', description: 'Items.', items: { $ref: `#/definitions/${itemsOf}` } },
          search_criteria: { $ref: '#/definitions/framework-search-criteria-interface' },
          total_count: { type: 'integer', description: 'Total count.' },
        },
        required: ['items', 'search_criteria', 'total_count'],
      });
      this.ensure(itemsOf);
      this.ensure('framework-search-criteria-interface');
      return;
    }
    const sample = this.samples.get(name) ?? EXTRA_SAMPLES[name];
    this.defs.set(name, { type: 'object', description: '' });
    if (!sample) return;
    const properties: Record<string, SwaggerSchema> = {};
    for (const [key, value] of Object.entries(sample)) properties[key] = this.propertySchema(name, key, value);
    const def: SwaggerSchema = { type: 'object', description: '', properties };
    const required = REQUIRED[name];
    if (required) def.required = required;
    this.defs.set(name, def);
  }

  private propertySchema(parent: string, key: string, value: Json): SwaggerSchema {
    if (key === 'custom_attributes') {
      this.ensure('framework-attribute-interface');
      return { type: 'array', description: 'Custom attributes values.', items: { $ref: '#/definitions/framework-attribute-interface' } };
    }
    const stem = parent.replace(/-interface$/, '');
    const nestedName = NESTED_NAMES[`${parent}.${key}`] ?? (key === 'extension_attributes' ? `${stem}-extension-interface` : `${stem}-${key.replace(/_/g, '-')}-interface`);
    if (Array.isArray(value)) {
      const first = value[0];
      if (first !== undefined && first !== null && typeof first === 'object' && !Array.isArray(first)) {
        if (!this.samples.has(nestedName)) this.samples.set(nestedName, first);
        this.ensure(nestedName);
        return { type: 'array', items: { $ref: `#/definitions/${nestedName}` } };
      }
      if (first === undefined && (EXTRA_SAMPLES[nestedName] || this.samples.has(nestedName))) {
        this.ensure(nestedName);
        return { type: 'array', items: { $ref: `#/definitions/${nestedName}` } };
      }
      return { type: 'array', items: { type: first === undefined || first === null ? 'string' : scalarType(first as Json) } };
    }
    if (value !== null && typeof value === 'object') {
      if (!this.samples.has(nestedName)) this.samples.set(nestedName, value);
      this.ensure(nestedName);
      return { $ref: `#/definitions/${nestedName}` };
    }
    // Decimal columns that happen to hold whole numbers in the seed are still floats in PHP.
    if (typeof value === 'number' && DECIMAL_KEY.test(key)) return { type: 'number' };
    return { type: scalarType(value) };
  }
}

function refsIn(schema: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k === '$ref' && typeof child === 'string') out.push(child.replace('#/definitions/', ''));
        else walk(child);
      }
    }
  };
  walk(schema);
  return out;
}

let cachedSamples: Map<string, JsonObject> | undefined;

/** Top-level samples from a small seed run (the shapes do not depend on the seed number). */
function topSamples(): Map<string, JsonObject> {
  if (cachedSamples) return new Map(cachedSamples);
  const seed = seedStore(1);
  const m = new Map<string, JsonObject>();
  m.set('catalog-data-product-interface', seed.products.find((p) => (p.custom_attributes as JsonObject[]).some((c) => c.attribute_code === 'special_price')) ?? (seed.products[0] as JsonObject));
  m.set('customer-data-customer-interface', seed.customers[0]?.data as JsonObject);
  m.set('sales-data-order-interface', seed.orders[0] as JsonObject);
  m.set('cms-data-page-interface', seed.cmsPages[0] as JsonObject);
  m.set('cms-data-block-interface', seed.cmsBlocks[0] as JsonObject);
  const root = CATEGORIES[1];
  m.set('catalog-data-category-tree-interface', { id: root?.id ?? 2, parent_id: 1, name: '', is_active: true, position: 0, level: 0, product_count: 0, children_data: [] });
  cachedSamples = m;
  return new Map(m);
}

/** Definitions for the given names and everything they reference. */
export function definitionsFor(names: Iterable<string>, extra: ReadonlyMap<string, SwaggerSchema> = new Map()): Record<string, SwaggerSchema> {
  const builder = new DefinitionBuilder(topSamples(), extra);
  for (const n of names) builder.ensure(n);
  builder.ensure('error-response');
  const out: Record<string, SwaggerSchema> = {};
  for (const name of [...builder.defs.keys()].sort()) out[name] = builder.defs.get(name) as SwaggerSchema;
  return out;
}
