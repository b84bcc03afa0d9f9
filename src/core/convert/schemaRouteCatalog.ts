// Adapts the store's parsed Swagger schema (Grammar's MagentoSchema) to the RouteCatalog that
// conversion reads. Route matching is MagentoSchema.matchPath — Magento's own router rules —
// so conversion resolves a path exactly as the store would.
import { type MagentoSchema, type SchemaOperation } from '../schema/swaggerSchema';
import { type CatalogRoute, type JsonSchemaNode, type RouteCatalog } from './routeCatalog';

export function schemaRouteCatalog(schema: MagentoSchema): RouteCatalog {
  const cache = new Map<SchemaOperation, CatalogRoute>();
  const toRoute = (operation: SchemaOperation): CatalogRoute => {
    let route = cache.get(operation);
    if (!route) {
      route = {
        method: operation.method,
        pathTemplate: operation.pathTemplate,
        pathParams: operation.pathParams.map((p) => (p.type !== undefined ? { name: p.name, type: p.type } : { name: p.name })),
        operationId: operation.operationId,
        summary: operation.summary,
      };
      if (operation.bodyParam?.schema) route.bodySchema = operation.bodyParam.schema as JsonSchemaNode;
      cache.set(operation, route);
    }
    return route;
  };
  let all: CatalogRoute[] | undefined;
  return {
    match(method, path) {
      const m = schema.matchPath(method, path);
      return m ? { route: toRoute(m.operation), pathParams: m.pathParams } : undefined;
    },
    routes() {
      all ??= schema.operations().map(toRoute);
      return all;
    },
    resolveRef(ref) {
      try {
        return schema.definition(ref) as JsonSchemaNode;
      } catch {
        return undefined; // a dangling $ref: lint skips what it cannot resolve
      }
    },
  };
}
