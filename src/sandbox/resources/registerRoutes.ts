import type { SandboxApp } from '../app';
import { authRoutes } from './authRoutes';
import { catalogStoreRoutes } from './catalogStoreRoutes';
import { cmsRoutes } from './cmsRoutes';
import { customerRoutes } from './customerRoutes';
import { inventoryRoutes } from './inventoryRoutes';
import { orderRoutes } from './orderRoutes';
import { productRoutes } from './productRoutes';

/** Every built-in sync route; async/bulk variants are derived from these by the async processors. */
export function registerResourceRoutes(app: SandboxApp): void {
  app.routes.addAll([
    ...authRoutes(app),
    ...productRoutes(app),
    ...customerRoutes(app),
    ...inventoryRoutes(app),
    ...orderRoutes(app),
    ...cmsRoutes(app),
    ...catalogStoreRoutes(app),
  ]);
}
