// Customers (Magento_Customer webapi.xml): createAccount, getById, save, getList, /me.
import { magentoDateTime } from '../clock';
import type { SandboxApp } from '../app';
import { WebapiError, inputError, noSuchEntity, requiredField, type ErrorEntry } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam, pathParam, searchCriteriaParam } from '../routing/types';
import { criteriaFromParam, searchCollection } from '../search/collectionSearch';
import type { StoreView } from '../stores';
import { snakeKeys } from './productRoutes';
import type { Json, JsonObject } from './seed';

export const DUPLICATE_EMAIL = 'A customer with the same email address already exists in an associated website.';
const NO_SUCH_ENTITY = 'No such entity with %fieldName = %fieldValue';
const CUSTOMER_DEF = 'customer-data-customer-interface';
const REPO = { className: 'Magento\\Customer\\Api\\CustomerRepositoryInterface', name: 'customerCustomerRepositoryV1' };

const CUSTOMER_KEYS = ['id', 'group_id', 'default_billing', 'default_shipping', 'confirmation', 'created_at', 'updated_at', 'created_in', 'dob', 'email', 'firstname', 'lastname', 'middlename', 'prefix', 'suffix', 'gender', 'store_id', 'taxvat', 'website_id', 'addresses', 'disable_auto_group_change', 'extension_attributes', 'custom_attributes'];

function customerNotFound(id: unknown): WebapiError {
  return noSuchEntity(NO_SUCH_ENTITY, { fieldName: 'customerId', fieldValue: id as string | number });
}

/** ServiceInputProcessor: a key without a getter is a LogicException, i.e. a masked 500 in production mode. */
function rejectUnknownKeys(input: Record<string, unknown>): void {
  for (const key of Object.keys(input)) {
    if (!CUSTOMER_KEYS.includes(key)) {
      const studly = key.replace(/(^|_)([a-z0-9])/g, (_m, _u: string, c: string) => c.toUpperCase());
      throw new Error(`Property "${studly}" does not have accessor method "get${studly}" in class "Magento\\Customer\\Api\\Data\\CustomerInterface".`);
    }
  }
}

/** Validation done by the customer model before save (required names and e-mail). */
function validateCustomer(c: Record<string, unknown>): void {
  const errors: ErrorEntry[] = [];
  for (const field of ['firstname', 'lastname', 'email']) {
    if (typeof c[field] !== 'string' || (c[field] as string).trim() === '') errors.push(requiredField(field));
  }
  if (errors.length > 0) throw inputError(errors);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(c.email as string)) {
    throw new WebapiError(400, '"%fieldName" is not a valid email address.', { fieldName: 'email' });
  }
}

/** AccountManagement::checkPasswordStrength with the default config (8 characters, 3 classes). */
function checkPasswordStrength(password: string): void {
  const minLength = 8;
  const requiredClasses = 3;
  if (password.length < minLength) {
    throw new WebapiError(400, 'The password needs at least %1 characters. Create a new password and try again.', [minLength]);
  }
  const classes = [/[0-9]/, /[a-z]/, /[A-Z]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < requiredClasses) {
    throw new WebapiError(400, 'Minimum of different classes of characters in password is %1. Classes of characters: Lower Case, Upper Case, Digits, Special Characters.', [requiredClasses]);
  }
  if (password.trim() !== password) throw new WebapiError(400, "The password can't begin or end with a space. Verify the password and try again.");
}

function ordered(c: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const k of CUSTOMER_KEYS) if (c[k] !== undefined) out[k] = c[k] as Json;
  return out;
}

export function customerRoutes(app: SandboxApp): SyncRoute[] {
  const get = (id: number): JsonObject => {
    const c = app.data.customers.get(id);
    if (!c) throw customerNotFound(id);
    return c.data;
  };

  const normaliseAddresses = (customerId: number, raw: unknown, previous: JsonObject[]): JsonObject[] => {
    if (!Array.isArray(raw)) return previous;
    return raw.map((a) => {
      const addr = snakeKeys(a) as JsonObject;
      const id = typeof addr.id === 'number' && previous.some((p) => p.id === addr.id) ? addr.id : app.data.nextAddressId++;
      return { ...addr, id, customer_id: customerId };
    });
  };

  const create = (rawCustomer: unknown, password: unknown, store: StoreView): JsonObject => {
    const input = snakeKeys(rawCustomer) as Record<string, unknown>;
    rejectUnknownKeys(input);
    validateCustomer(input);
    if (typeof password === 'string' && password !== '') checkPasswordStrength(password);
    const websiteId = Number(input.website_id ?? (store.websiteId || 1));
    // A business rule, checked when the service runs (so async creation fails later as status 3).
    if (app.data.findCustomerByEmail(input.email as string, websiteId)) throw new WebapiError(400, DUPLICATE_EMAIL);
    const id = app.data.nextCustomerId++;
    const now = magentoDateTime(app.clock.now());
    const storeId = Number(input.store_id ?? (store.id || 1));
    const addresses = normaliseAddresses(id, input.addresses, []);
    const data = ordered({
      ...input,
      id,
      group_id: Number(input.group_id ?? 1),
      created_at: now,
      updated_at: now,
      created_in: storeId === 2 ? 'German Store View' : 'Default Store View',
      store_id: storeId,
      website_id: websiteId,
      addresses,
      disable_auto_group_change: Number(input.disable_auto_group_change ?? 0),
      extension_attributes: (input.extension_attributes as Json) ?? { is_subscribed: false },
    });
    app.data.putCustomer({ data, password: typeof password === 'string' && password !== '' ? password : '', confirmation: null });
    return data;
  };

  const update = (customerId: number, rawCustomer: unknown): JsonObject => {
    const record = app.data.customers.get(customerId);
    if (!record) throw customerNotFound(customerId);
    const input = snakeKeys(rawCustomer) as Record<string, unknown>;
    rejectUnknownKeys(input);
    const merged: Record<string, unknown> = { ...record.data, ...input, id: customerId };
    validateCustomer(merged);
    const other = app.data.findCustomerByEmail(merged.email as string, Number(merged.website_id ?? 1));
    if (other && other.data.id !== customerId) throw new WebapiError(400, DUPLICATE_EMAIL);
    merged.addresses = normaliseAddresses(customerId, input.addresses, record.data.addresses as JsonObject[]);
    merged.updated_at = magentoDateTime(app.clock.now());
    app.data.putCustomer({ ...record, data: ordered(merged) });
    return app.data.customers.get(customerId)?.data as JsonObject;
  };

  return [
    {
      method: 'POST',
      path: '/V1/customers',
      service: { className: 'Magento\\Customer\\Api\\AccountManagementInterface', name: 'customerAccountManagementV1', method: 'createAccount' },
      acl: ['anonymous'],
      params: [bodyParam('customer', T.ref(CUSTOMER_DEF)), bodyParam('password', T.string, false), bodyParam('redirectUrl', T.string, false)],
      response: T.ref(CUSTOMER_DEF),
      summary: 'Create customer account. Perform necessary business operations like sending email.',
      throws: [400],
      handler: ({ params, store }) => create(params.customer, params.password, store),
    },
    {
      method: 'GET',
      path: '/V1/customers/me',
      service: { ...REPO, method: 'getById' },
      acl: ['self'],
      params: [{ name: 'customerId', in: 'path', type: T.int, required: true }],
      forced: { customerId: 'customer_id' },
      response: T.ref(CUSTOMER_DEF),
      summary: 'Get customer by Customer ID.',
      throws: [404],
      synchronousOnly: true,
      handler: ({ params }) => get(params.customerId as number),
    },
    {
      method: 'PUT',
      path: '/V1/customers/me',
      service: { ...REPO, method: 'save' },
      acl: ['self'],
      params: [{ name: 'customerId', in: 'path', type: T.int, required: true }, bodyParam('customer', T.ref(CUSTOMER_DEF)), bodyParam('passwordHash', T.string, false)],
      forced: { customerId: 'customer_id' },
      response: T.ref(CUSTOMER_DEF),
      summary: 'Create or update a customer.',
      throws: [400],
      synchronousOnly: true,
      handler: ({ params }) => update(params.customerId as number, params.customer),
    },
    {
      method: 'GET',
      path: '/V1/customers/search',
      service: { ...REPO, method: 'getList' },
      acl: ['Magento_Customer::customer'],
      params: [searchCriteriaParam()],
      response: T.ref('customer-data-customer-search-results-interface'),
      summary: 'Retrieve customers which match a specified criteria.',
      handler: ({ params }) => {
        const criteria = criteriaFromParam(params.searchCriteria);
        for (const group of criteria.filterGroups) {
          for (const f of group.filters) {
            // Customer grid columns are names; a numeric field name is a malformed request (400), see MalformedRequestErrorHandlingTest.
            if (/^\d+$/.test(f.field)) throw new WebapiError(400, 'Invalid field name "%1" in the search criteria.', [f.field]);
          }
        }
        const all = [...app.data.customers.values()].map((c) => c.data);
        return searchCollection(all, criteria, app.settings, (c, field) => c[field] ?? null);
      },
    },
    {
      method: 'GET',
      path: '/V1/customers/:customerId',
      service: { ...REPO, method: 'getById' },
      acl: ['Magento_Customer::customer'],
      params: [pathParam('customerId', T.int)],
      response: T.ref(CUSTOMER_DEF),
      summary: 'Get customer by Customer ID.',
      throws: [404],
      handler: ({ params }) => get(params.customerId as number),
    },
    {
      method: 'PUT',
      path: '/V1/customers/:customerId',
      service: { ...REPO, method: 'save' },
      acl: ['Magento_Customer::manage'],
      params: [pathParam('customerId', T.int), bodyParam('customer', T.ref(CUSTOMER_DEF)), bodyParam('passwordHash', T.string, false)],
      pathOverrides: { customerId: { param: 'customer', field: 'id' } },
      response: T.ref(CUSTOMER_DEF),
      summary: 'Create or update a customer.',
      throws: [400, 404],
      handler: ({ params }) => update(params.customerId as number, params.customer),
    },
    {
      method: 'DELETE',
      path: '/V1/customers/:customerId',
      service: { ...REPO, method: 'deleteById' },
      acl: ['Magento_Customer::delete'],
      params: [pathParam('customerId', T.int)],
      response: T.bool,
      summary: 'Delete customer by Customer ID.',
      throws: [404],
      handler: ({ params }) => {
        const id = params.customerId as number;
        if (!app.data.deleteCustomer(id)) throw customerNotFound(id);
        app.auth.revokeCustomerTokens(id);
        return true;
      },
    },
  ];
}
