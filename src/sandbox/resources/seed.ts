// Deterministic seed data that looks like a Luma-style catalog: categories, a few thousand
// products (~80 fields each with custom_attributes and extension_attributes), customers with
// addresses, orders, inventory source items, CMS pages and blocks.
import { magentoDateTime } from '../clock';
import { base32Encode } from '../auth/totp';
import { SeededRandom } from './random';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const PRODUCT_COUNT = 3000;
export const CUSTOMER_COUNT = 60;
export const ORDER_COUNT = 120;

/** The catalog's start date: fixed so the seed does not depend on when it runs. */
const SEED_EPOCH_MS = Date.UTC(2025, 0, 15, 9, 0, 0);

export interface CategorySeed {
  id: number;
  parent_id: number;
  name: string;
  is_active: boolean;
  position: number;
  level: number;
  url_key: string;
}

export const CATEGORIES: readonly CategorySeed[] = [
  { id: 1, parent_id: 0, name: 'Root Catalog', is_active: true, position: 0, level: 0, url_key: 'root-catalog' },
  { id: 2, parent_id: 1, name: 'Default Category', is_active: true, position: 1, level: 1, url_key: 'default-category' },
  { id: 3, parent_id: 2, name: 'Gear', is_active: true, position: 1, level: 2, url_key: 'gear' },
  { id: 4, parent_id: 3, name: 'Bags', is_active: true, position: 1, level: 3, url_key: 'bags' },
  { id: 5, parent_id: 3, name: 'Fitness Equipment', is_active: true, position: 2, level: 3, url_key: 'fitness-equipment' },
  { id: 6, parent_id: 3, name: 'Watches', is_active: true, position: 3, level: 3, url_key: 'watches' },
  { id: 7, parent_id: 2, name: 'Men', is_active: true, position: 2, level: 2, url_key: 'men' },
  { id: 8, parent_id: 7, name: 'Tops', is_active: true, position: 1, level: 3, url_key: 'tops-men' },
  { id: 9, parent_id: 7, name: 'Bottoms', is_active: true, position: 2, level: 3, url_key: 'bottoms-men' },
  { id: 10, parent_id: 2, name: 'Women', is_active: true, position: 3, level: 2, url_key: 'women' },
  { id: 11, parent_id: 10, name: 'Tops', is_active: true, position: 1, level: 3, url_key: 'tops-women' },
  { id: 12, parent_id: 10, name: 'Bottoms', is_active: true, position: 2, level: 3, url_key: 'bottoms-women' },
  { id: 13, parent_id: 2, name: 'Sale', is_active: true, position: 4, level: 2, url_key: 'sale' },
  { id: 14, parent_id: 2, name: "What's New", is_active: true, position: 5, level: 2, url_key: 'what-is-new' },
  { id: 15, parent_id: 2, name: 'Collections', is_active: false, position: 6, level: 2, url_key: 'collections' },
];

/** Leaf categories products are assigned to, with the SKU prefix and nouns used for names. */
const PRODUCT_FAMILIES = [
  { category: 4, prefix: 'MB', nouns: ['Backpack', 'Duffle', 'Tote', 'Messenger Bag', 'Shoulder Pack'] },
  { category: 5, prefix: 'UG', nouns: ['Yoga Mat', 'Foam Roller', 'Kettlebell', 'Resistance Band', 'Water Bottle'] },
  { category: 6, prefix: 'MG', nouns: ['Watch', 'Chronograph', 'Fitness Tracker', 'Dive Watch'] },
  { category: 8, prefix: 'MH', nouns: ['Hoodie', 'Tee', 'Jacket', 'Tank', 'Pullover'] },
  { category: 9, prefix: 'MP', nouns: ['Pant', 'Short', 'Jogger'] },
  { category: 11, prefix: 'WH', nouns: ['Hoodie', 'Tee', 'Jacket', 'Bra', 'Tank'] },
  { category: 12, prefix: 'WP', nouns: ['Pant', 'Short', 'Legging', 'Capri'] },
] as const;

const ADJECTIVES = ['Aero', 'Atlas', 'Breathe', 'Chaz', 'Driven', 'Endeavor', 'Fusion', 'Hera', 'Ina', 'Juno', 'Layla', 'Marco', 'Nora', 'Orion', 'Proteus', 'Rival', 'Selene', 'Summit', 'Tristan', 'Zeppelin'];
const MATERIALS = ['Cotton', 'Polyester', 'Nylon', 'Wool', 'Leather', 'Organic Cotton', 'Spandex', 'Fleece', 'Mesh', 'Hemp'];
const COLORS: ReadonlyArray<[number, string]> = [[49, 'Black'], [50, 'Blue'], [52, 'Gray'], [53, 'Green'], [56, 'Orange'], [57, 'Purple'], [58, 'Red'], [59, 'White'], [60, 'Yellow']];
const SIZES: ReadonlyArray<[number, string]> = [[166, 'XS'], [167, 'S'], [168, 'M'], [169, 'L'], [170, 'XL']];
const ACTIVITIES = ['8', '9', '10', '11', '12', '13', '14', '15', '16', '17'];
const FIRST_NAMES = ['Veronica', 'John', 'Ana', 'Lukas', 'Mia', 'Noah', 'Emma', 'Liam', 'Sofia', 'Jonas', 'Lea', 'Ben', 'Hannah', 'Paul', 'Olivia', 'Elias', 'Emily', 'Felix', 'Marie', 'Max'];
const LAST_NAMES = ['Costello', 'Doe', 'Smith', 'Müller', 'Schmidt', 'Garcia', 'Johnson', 'Weber', 'Brown', 'Fischer', 'Miller', 'Wagner', 'Davis', 'Becker', 'Wilson', 'Hoffmann'];
const CITIES: ReadonlyArray<{ city: string; region: string; region_code: string; region_id: number; country_id: string; postcode: string }> = [
  { city: 'Calder', region: 'Michigan', region_code: 'MI', region_id: 33, country_id: 'US', postcode: '49628-7978' },
  { city: 'Austin', region: 'Texas', region_code: 'TX', region_id: 57, country_id: 'US', postcode: '78728' },
  { city: 'San Jose', region: 'California', region_code: 'CA', region_id: 12, country_id: 'US', postcode: '95131' },
  { city: 'Berlin', region: 'Berlin', region_code: 'BER', region_id: 82, country_id: 'DE', postcode: '10115' },
  { city: 'München', region: 'Bayern', region_code: 'BAY', region_id: 81, country_id: 'DE', postcode: '80331' },
  { city: 'New York', region: 'New York', region_code: 'NY', region_id: 43, country_id: 'US', postcode: '10001' },
];

export const SOURCES = [
  { source_code: 'default', name: 'Default Source', enabled: true, country_id: 'US', postcode: '00000' },
  { source_code: 'eu_warehouse', name: 'EU Warehouse', enabled: true, country_id: 'DE', postcode: '10115' },
] as const;

export interface SeedCredentials {
  adminAccount: { id: number; username: string; password: string; totpSecret: string };
  customer: { email: string; password: string };
  integration: { id: number; consumerId: number; consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
}

export interface CustomerSeed {
  data: JsonObject;
  password: string;
  confirmation: string | null;
}

export interface SeedResult {
  credentials: SeedCredentials;
  products: JsonObject[];
  customers: CustomerSeed[];
  orders: JsonObject[];
  sourceItems: JsonObject[];
  cmsPages: JsonObject[];
  cmsBlocks: JsonObject[];
}

function date(rng: SeededRandom, maxDaysAfterEpoch: number): string {
  return magentoDateTime(SEED_EPOCH_MS + rng.int(0, maxDaysAfterEpoch * 24 * 3600) * 1000);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function stockItem(productId: number, qty: number, inStock: boolean): JsonObject {
  return {
    item_id: productId,
    product_id: productId,
    stock_id: 1,
    qty,
    is_in_stock: inStock,
    is_qty_decimal: false,
    show_default_notification_message: false,
    use_config_min_qty: true,
    min_qty: 0,
    use_config_min_sale_qty: 1,
    min_sale_qty: 1,
    use_config_max_sale_qty: true,
    max_sale_qty: 10000,
    use_config_backorders: true,
    backorders: 0,
    use_config_notify_stock_qty: true,
    notify_stock_qty: 1,
    use_config_qty_increments: true,
    qty_increments: 0,
    use_config_enable_qty_inc: true,
    enable_qty_increments: false,
    use_config_manage_stock: true,
    manage_stock: true,
    low_stock_date: null,
    is_decimal_divided: false,
    stock_status_changed_auto: 0,
  };
}

function seedProduct(rng: SeededRandom, index: number): JsonObject {
  const id = index + 1;
  const family = PRODUCT_FAMILIES[index % PRODUCT_FAMILIES.length] as (typeof PRODUCT_FAMILIES)[number];
  const noun = rng.pick(family.nouns);
  const adjective = rng.pick(ADJECTIVES);
  const material = rng.pick(MATERIALS);
  const [colorId, colorLabel] = rng.pick(COLORS);
  const [sizeId] = rng.pick(SIZES);
  const sku = `${family.prefix}-${String(id).padStart(5, '0')}`;
  const name = `${adjective} ${material} ${noun} ${colorLabel} ${id}`;
  const price = rng.price(9, 249);
  const qty = rng.chance(0.08) ? 0 : rng.int(1, 500);
  const created = date(rng, 300);
  const categoryIds: number[] = [family.category];
  if (rng.chance(0.2)) categoryIds.push(13);
  if (rng.chance(0.15)) categoryIds.push(14);
  const urlKey = `${slug(name)}`;
  const onSale = categoryIds.includes(13);
  const custom: Array<[string, Json]> = [
    ['description', `<p>The ${name} is made of ${material.toLowerCase()} for everyday training.</p>`],
    ['short_description', `${adjective} ${noun.toLowerCase()} in ${colorLabel.toLowerCase()}.`],
    ['meta_title', name],
    ['meta_keyword', `${adjective}, ${noun}, ${material}`],
    ['meta_description', `Buy the ${name}.`],
    ['url_key', urlKey],
    ['category_ids', categoryIds.map(String)],
    ['options_container', 'container2'],
    ['required_options', '0'],
    ['has_options', '0'],
    ['tax_class_id', '2'],
    ['gift_message_available', '0'],
    ['color', String(colorId)],
    ['size', String(sizeId)],
    ['material', String(rng.int(31, 46))],
    ['activity', [rng.pick(ACTIVITIES), rng.pick(ACTIVITIES)].filter((v, i, a) => a.indexOf(v) === i).join(',')],
    ['style_general', String(rng.int(116, 130))],
    ['climate', [String(rng.int(201, 209)), String(rng.int(210, 214))].join(',')],
    ['eco_collection', rng.chance(0.2) ? '1' : '0'],
    ['performance_fabric', rng.chance(0.3) ? '1' : '0'],
    ['erin_recommends', rng.chance(0.1) ? '1' : '0'],
    ['new', rng.chance(0.15) ? '1' : '0'],
    ['sale', onSale ? '1' : '0'],
    ['pattern', String(rng.int(194, 199))],
    ['msrp_display_actual_price_type', '0'],
    ['country_of_manufacture', rng.pick(['US', 'DE', 'CN', 'VN', 'PT'])],
    ['manufacturer', String(rng.int(216, 220))],
    ['cost', String(Math.round(price * 45) / 100)],
    ['image', `/${sku[0]?.toLowerCase()}/${sku[1]?.toLowerCase()}/${sku.toLowerCase()}-main.jpg`],
    ['small_image', `/${sku[0]?.toLowerCase()}/${sku[1]?.toLowerCase()}/${sku.toLowerCase()}-main.jpg`],
    ['thumbnail', `/${sku[0]?.toLowerCase()}/${sku[1]?.toLowerCase()}/${sku.toLowerCase()}-main.jpg`],
    ['swatch_image', `/${sku[0]?.toLowerCase()}/${sku[1]?.toLowerCase()}/${sku.toLowerCase()}-main.jpg`],
    ['page_layout', 'product-full-width'],
    ['news_from_date', created],
  ];
  if (onSale) {
    custom.push(['special_price', String(Math.round(price * 80) / 100)]);
    custom.push(['special_from_date', created]);
  }
  return {
    id,
    sku,
    name,
    attribute_set_id: family.category === 4 || family.category === 5 || family.category === 6 ? 15 : 9,
    price,
    status: rng.chance(0.95) ? 1 : 2,
    visibility: 4,
    type_id: 'simple',
    created_at: created,
    updated_at: created,
    weight: rng.price(0.2, 5),
    extension_attributes: {
      website_ids: [1],
      category_links: categoryIds.map((c, position) => ({ position, category_id: String(c) })),
      stock_item: stockItem(id, qty, qty > 0),
    },
    product_links: [],
    options: [],
    media_gallery_entries: [
      { id, media_type: 'image', label: null, position: 1, disabled: false, types: ['image', 'small_image', 'thumbnail', 'swatch_image'], file: custom[28]?.[1] ?? '' },
    ],
    tier_prices: [],
    custom_attributes: custom.map(([attribute_code, value]) => ({ attribute_code, value })),
  };
}

export function customerAddress(id: number, customerId: number, first: string, last: string, place: (typeof CITIES)[number], street: string, phone: string, isDefault: boolean): JsonObject {
  const address: JsonObject = {
    id,
    customer_id: customerId,
    region: { region_code: place.region_code, region: place.region, region_id: place.region_id },
    region_id: place.region_id,
    country_id: place.country_id,
    street: [street],
    telephone: phone,
    postcode: place.postcode,
    city: place.city,
    firstname: first,
    lastname: last,
  };
  if (isDefault) {
    address.default_shipping = true;
    address.default_billing = true;
  }
  return address;
}

function seedCustomers(rng: SeededRandom, credentials: SeedCredentials): CustomerSeed[] {
  const customers: CustomerSeed[] = [];
  let addressId = 1;
  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const id = i + 1;
    const first = i === 0 ? 'Veronica' : rng.pick(FIRST_NAMES);
    const last = i === 0 ? 'Costello' : rng.pick(LAST_NAMES);
    const email = i === 0 ? credentials.customer.email : `${slug(first)}.${slug(last)}${id}@example.com`;
    const storeId = i % 5 === 4 ? 2 : 1;
    const created = date(rng, 200);
    const addresses: JsonObject[] = [];
    const addressCount = i === 0 ? 2 : rng.int(0, 2);
    for (let a = 0; a < addressCount; a++) {
      const place = i === 0 ? (CITIES[a + 1] as (typeof CITIES)[number]) : rng.pick(CITIES);
      addresses.push(customerAddress(addressId++, id, first, last, place, `${rng.int(1, 9999)} ${rng.pick(['Main', 'Oak', 'Park', 'Linden', 'Hill'])} Street`, `(555) ${rng.int(100, 999)}-${rng.int(1000, 9999)}`, a === 0));
    }
    const data: JsonObject = {
      id,
      group_id: 1,
    };
    if (addresses.length > 0) {
      data.default_billing = String(addresses[0]?.id);
      data.default_shipping = String(addresses[0]?.id);
    }
    Object.assign(data, {
      created_at: created,
      updated_at: created,
      created_in: storeId === 2 ? 'German Store View' : 'Default Store View',
      dob: `19${rng.int(60, 99)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      email,
      firstname: first,
      lastname: last,
      gender: rng.int(0, 2),
      store_id: storeId,
      website_id: 1,
      addresses,
      disable_auto_group_change: 0,
      extension_attributes: { is_subscribed: rng.chance(0.3) },
    });
    customers.push({ data, password: i === 0 ? credentials.customer.password : `Customer#${id}pass`, confirmation: null });
  }
  return customers;
}

function seedOrders(rng: SeededRandom, products: JsonObject[], customers: CustomerSeed[]): JsonObject[] {
  const orders: JsonObject[] = [];
  let itemId = 1;
  for (let i = 0; i < ORDER_COUNT; i++) {
    const id = i + 1;
    const customer = (customers[i % customers.length] as CustomerSeed).data;
    const storeId = customer.store_id as number;
    const state = rng.pick(['new', 'processing', 'processing', 'complete', 'canceled'] as const);
    const status = state === 'new' ? 'pending' : state;
    const created = date(rng, 300);
    const items: JsonObject[] = [];
    let subtotal = 0;
    const count = rng.int(1, 3);
    for (let k = 0; k < count; k++) {
      const product = rng.pick(products);
      const qty = rng.int(1, 3);
      const price = product.price as number;
      subtotal += price * qty;
      items.push({
        item_id: itemId++,
        order_id: id,
        product_id: product.id as number,
        sku: product.sku as string,
        name: product.name as string,
        product_type: 'simple',
        qty_ordered: qty,
        qty_shipped: state === 'complete' ? qty : 0,
        qty_invoiced: state === 'new' ? 0 : qty,
        qty_canceled: state === 'canceled' ? qty : 0,
        price,
        base_price: price,
        row_total: Math.round(price * qty * 100) / 100,
        store_id: storeId,
        created_at: created,
        updated_at: created,
      });
    }
    subtotal = Math.round(subtotal * 100) / 100;
    const shipping = 5 * count;
    const grand = Math.round((subtotal + shipping) * 100) / 100;
    const addresses = customer.addresses as JsonObject[];
    const billing = (addresses[0] ?? customerAddress(0, customer.id as number, customer.firstname as string, customer.lastname as string, CITIES[0] as (typeof CITIES)[number], '1 Main Street', '(555) 229-3326', false));
    orders.push({
      entity_id: id,
      increment_id: String(100000000 + id).padStart(9, '0'),
      state,
      status,
      store_id: storeId,
      customer_id: customer.id as number,
      customer_email: customer.email as string,
      customer_firstname: customer.firstname as string,
      customer_lastname: customer.lastname as string,
      customer_group_id: 1,
      customer_is_guest: 0,
      base_currency_code: 'USD',
      order_currency_code: 'USD',
      subtotal,
      base_subtotal: subtotal,
      shipping_amount: shipping,
      grand_total: grand,
      base_grand_total: grand,
      total_qty_ordered: items.reduce((n, it) => n + (it.qty_ordered as number), 0),
      created_at: created,
      updated_at: created,
      items,
      billing_address: {
        address_type: 'billing',
        city: billing.city as string,
        country_id: billing.country_id as string,
        email: customer.email as string,
        firstname: customer.firstname as string,
        lastname: customer.lastname as string,
        postcode: billing.postcode as string,
        region: (billing.region as JsonObject).region as string,
        region_code: (billing.region as JsonObject).region_code as string,
        street: billing.street as Json[],
        telephone: billing.telephone as string,
        parent_id: id,
      },
      payment: { method: rng.pick(['checkmo', 'banktransfer', 'cashondelivery']), amount_ordered: grand, parent_id: id },
      status_histories: [],
      extension_attributes: { shipping_assignments: [{ shipping: { method: 'flatrate_flatrate', total: { shipping_amount: shipping } }, items }] },
    });
  }
  return orders;
}

function seedCms(rng: SeededRandom): { pages: JsonObject[]; blocks: JsonObject[] } {
  const pageDefs: Array<[string, string]> = [
    ['home', 'Home Page'],
    ['no-route', '404 Not Found'],
    ['enable-cookies', 'Enable Cookies'],
    ['privacy-policy-cookie-restriction-mode', 'Privacy and Cookie Policy'],
    ['about-us', 'About Us'],
    ['customer-service', 'Customer Service'],
  ];
  const pages = pageDefs.map(([identifier, title], i) => {
    const t = date(rng, 100);
    return {
      id: i + 1,
      identifier,
      title,
      page_layout: i === 0 ? '1column' : '2columns-right',
      meta_title: '',
      meta_keywords: '',
      meta_description: '',
      content_heading: title,
      content: `<p>${title} content.</p>`,
      creation_time: t,
      update_time: t,
      sort_order: '0',
      layout_update_xml: '',
      custom_theme: '',
      custom_root_template: '',
      active: i !== 5,
    };
  });
  const blockDefs: Array<[string, string]> = [
    ['footer_links_block', 'Footer Links'],
    ['home-page-block', 'Home Page Block'],
    ['sale-left-menu-block', 'Sale Left Menu'],
    ['men-tops-block', 'Men Tops'],
    ['women-bottoms-block', 'Women Bottoms'],
  ];
  const blocks = blockDefs.map(([identifier, title], i) => {
    const t = date(rng, 100);
    return { id: i + 1, identifier, title, content: `<div class="${identifier}">${title}</div>`, creation_time: t, update_time: t, active: true };
  });
  return { pages, blocks };
}

export function seedStore(seed: number): SeedResult {
  const rng = new SeededRandom(seed);
  const secretRng = new SeededRandom(seed * 7919 + 17);
  const credentials: SeedCredentials = {
    adminAccount: { id: 1, username: 'admin', password: 'sandbox-admin-123', totpSecret: base32Encode(Buffer.from(secretRng.string(20))) },
    customer: { email: 'roni_cost@example.com', password: 'Roni-cost-123' },
    integration: {
      id: 1,
      consumerId: 1,
      consumerKey: secretRng.string(32),
      consumerSecret: secretRng.string(32),
      accessToken: secretRng.string(32),
      accessTokenSecret: secretRng.string(32),
    },
  };
  const products: JsonObject[] = [];
  for (let i = 0; i < PRODUCT_COUNT; i++) products.push(seedProduct(rng, i));
  const customers = seedCustomers(rng, credentials);
  const orders = seedOrders(rng, products, customers);
  const sourceItems: JsonObject[] = [];
  for (const p of products) {
    const stock = (p.extension_attributes as JsonObject).stock_item as JsonObject;
    sourceItems.push({ sku: p.sku as string, source_code: 'default', quantity: stock.qty as number, status: stock.is_in_stock ? 1 : 0 });
    if ((p.id as number) % 4 === 0) sourceItems.push({ sku: p.sku as string, source_code: 'eu_warehouse', quantity: rng.int(0, 100), status: 1 });
  }
  const cms = seedCms(rng);
  return { credentials, products, customers, orders, sourceItems, cmsPages: cms.pages, cmsBlocks: cms.blocks };
}
