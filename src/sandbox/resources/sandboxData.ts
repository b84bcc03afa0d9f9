// The store's in-memory state, rebuilt from the seed on start and on reset.
import type { Clock } from '../../core/ports';
import type { CustomerLogin } from '../auth/authService';
import { seedStore, type CustomerSeed, type JsonObject, type SeedCredentials } from './seed';

/** Attributes with store-view scope: values saved through a store view override the global value there. */
export const STORE_SCOPED_PRODUCT_FIELDS = new Set(['name', 'status', 'visibility']);
export const STORE_SCOPED_CUSTOM_ATTRIBUTES = new Set(['description', 'short_description', 'meta_title', 'meta_keyword', 'meta_description', 'url_key']);

export interface ProductRecord {
  /** Global (admin scope) values, in Magento's output shape. */
  data: JsonObject;
  /** store_id → store-scoped values saved through that store view. */
  storeOverrides: Map<number, { fields: JsonObject; customAttributes: Map<string, unknown> }>;
}

export class SandboxData {
  readonly credentials: SeedCredentials;
  readonly products = new Map<string, ProductRecord>();
  readonly customers = new Map<number, CustomerSeed>();
  readonly orders = new Map<number, JsonObject>();
  /** key `${sku}|${source_code}` */
  readonly sourceItems = new Map<string, JsonObject>();
  readonly cmsPages = new Map<number, JsonObject>();
  readonly cmsBlocks = new Map<number, JsonObject>();
  readonly shipments = new Map<number, JsonObject>();
  nextProductId: number;
  nextCustomerId: number;
  nextAddressId: number;
  nextPageId: number;
  nextBlockId: number;
  nextShipmentId = 1;
  private readonly emailIndex = new Map<string, number>();

  constructor(seed: number, readonly clock: Clock) {
    const seeded = seedStore(seed);
    this.credentials = seeded.credentials;
    for (const p of seeded.products) this.products.set(p.sku as string, { data: p, storeOverrides: new Map() });
    for (const c of seeded.customers) this.putCustomer(c);
    for (const o of seeded.orders) this.orders.set(o.entity_id as number, o);
    for (const s of seeded.sourceItems) this.sourceItems.set(`${s.sku as string}|${s.source_code as string}`, s);
    for (const p of seeded.cmsPages) this.cmsPages.set(p.id as number, p);
    for (const b of seeded.cmsBlocks) this.cmsBlocks.set(b.id as number, b);
    this.nextProductId = seeded.products.length + 1;
    this.nextCustomerId = seeded.customers.length + 1;
    this.nextAddressId = seeded.customers.reduce((n, c) => n + ((c.data.addresses as unknown[]).length), 0) + 1;
    this.nextPageId = seeded.cmsPages.length + 1;
    this.nextBlockId = seeded.cmsBlocks.length + 1;
  }

  customerLogin(email: string): CustomerLogin | undefined {
    // Token requests are not website-scoped in the sandbox: there is one website.
    const c = this.findCustomerByEmail(email, 1);
    return c ? { id: c.data.id as number, password: c.password, confirmation: c.confirmation } : undefined;
  }

  /** E-mails are unique per website and compared case-insensitively (indexed: bulk creates stay O(1)). */
  findCustomerByEmail(email: string, websiteId: number): CustomerSeed | undefined {
    const id = this.emailIndex.get(emailKey(email, websiteId));
    return id === undefined ? undefined : this.customers.get(id);
  }

  deleteCustomer(id: number): boolean {
    const existing = this.customers.get(id);
    if (!existing) return false;
    this.emailIndex.delete(emailKey(existing.data.email as string, existing.data.website_id as number));
    return this.customers.delete(id);
  }

  /** Stores a customer and keeps the e-mail index in step (also when the e-mail changes). */
  putCustomer(customer: CustomerSeed): void {
    const id = customer.data.id as number;
    const previous = this.customers.get(id);
    if (previous) this.emailIndex.delete(emailKey(previous.data.email as string, previous.data.website_id as number));
    this.customers.set(id, customer);
    this.emailIndex.set(emailKey(customer.data.email as string, customer.data.website_id as number), id);
  }
}

function emailKey(email: string, websiteId: number): string {
  return `${websiteId}|${email.toLowerCase()}`;
}
