import type { SandboxApp } from '../app';
import type { SyncRoute } from '../routing/routeTypes';
import { authRoutes } from './authRoutes';
import { catalogStoreRoutes } from './catalogStoreRoutes';
import { cmsRoutes } from './cmsRoutes';
import { customerRoutes } from './customerRoutes';
import { inventoryRoutes } from './inventoryRoutes';
import { orderRoutes } from './orderRoutes';
import { productRoutes } from './productRoutes';

/**
 * Routes webapi.xml declares `anonymous` but Magento_WebapiSecurity protects with these resources
 * while "Allow Anonymous Guest Access" (webapi/webapisecurity/allow_insecure) is No — the default.
 */
const GUEST_ACCESS_ROUTES: Record<string, readonly string[]> = {
  'GET /V1/products': ['Magento_Catalog::products'],
  'GET /V1/products/:sku': ['Magento_Catalog::products'],
  'GET /V1/categories': ['Magento_Catalog::categories'],
  'GET /V1/categories/:categoryId': ['Magento_Catalog::categories'],
  'GET /V1/cmsPage/:pageId': ['Magento_Cms::page'],
  'GET /V1/cmsBlock/:blockId': ['Magento_Cms::block'],
  'GET /V1/store/storeViews': ['Magento_Backend::store'],
  'GET /V1/store/storeConfigs': ['Magento_Backend::store'],
};

/** Makes the route's ACL follow the allowAnonymousGuestAccess setting at request time. */
function guestAccessAware(app: SandboxApp, route: SyncRoute): SyncRoute {
  const resources = GUEST_ACCESS_ROUTES[`${route.method} ${route.path}`];
  if (!resources) return route;
  Object.defineProperty(route, 'acl', { get: () => (app.settings.allowAnonymousGuestAccess ? ['anonymous'] : resources), enumerable: true });
  return route;
}

/** Every built-in sync route; async/bulk variants are derived from these by the async processors. */
export function registerResourceRoutes(app: SandboxApp): void {
  app.routes.addAll(
    [
      ...authRoutes(app),
      ...productRoutes(app),
      ...customerRoutes(app),
      ...inventoryRoutes(app),
      ...orderRoutes(app),
      ...cmsRoutes(app),
      ...catalogStoreRoutes(app),
    ].map((route) => guestAccessAware(app, route)),
  );
}
