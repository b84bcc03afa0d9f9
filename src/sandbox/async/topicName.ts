// Bulk descriptions and operation result messages for async/bulk routes (contract §6.2, §6.4).
// The topic name itself comes from `topicName(route)` in routing/routeTypes.ts.

/** The bulk `description` Magento stores for an async/bulk request. */
export function bulkDescription(topicName: string): string {
  return `Topic ${topicName}`;
}

// di.xml preferences for the interfaces the sandbox serves, so a successful operation's
// `result_message` names the class Magento would name (`<Class>\Interceptor::<method>`).
const IMPLEMENTATIONS: Record<string, string> = {
  'Magento\\Catalog\\Api\\ProductRepositoryInterface': 'Magento\\Catalog\\Model\\ProductRepository',
  'Magento\\Catalog\\Api\\CategoryRepositoryInterface': 'Magento\\Catalog\\Model\\CategoryRepository',
  'Magento\\Catalog\\Api\\ProductAttributeMediaGalleryManagementInterface': 'Magento\\Catalog\\Model\\Product\\Gallery\\GalleryManagement',
  'Magento\\Customer\\Api\\AccountManagementInterface': 'Magento\\Customer\\Model\\AccountManagement',
  'Magento\\Customer\\Api\\CustomerRepositoryInterface': 'Magento\\Customer\\Model\\ResourceModel\\CustomerRepository',
  'Magento\\Customer\\Api\\AddressRepositoryInterface': 'Magento\\Customer\\Model\\ResourceModel\\AddressRepository',
  'Magento\\InventoryApi\\Api\\SourceItemsSaveInterface': 'Magento\\Inventory\\Model\\SourceItem\\Command\\SourceItemsSave',
  'Magento\\InventoryApi\\Api\\SourceItemsDeleteInterface': 'Magento\\Inventory\\Model\\SourceItem\\Command\\SourceItemsDelete',
  'Magento\\Cms\\Api\\PageRepositoryInterface': 'Magento\\Cms\\Model\\PageRepository',
  'Magento\\Cms\\Api\\BlockRepositoryInterface': 'Magento\\Cms\\Model\\BlockRepository',
  'Magento\\Sales\\Api\\ShipOrderInterface': 'Magento\\Sales\\Model\\ShipOrder',
  'Magento\\Sales\\Api\\OrderRepositoryInterface': 'Magento\\Sales\\Model\\OrderRepository',
  'Magento\\Sales\\Api\\ShipmentRepositoryInterface': 'Magento\\Sales\\Model\\Order\\ShipmentRepository',
};

/**
 * The concrete class behind a service interface. Unknown interfaces fall back to the usual
 * Magento layout (`Api\FooInterface` → `Model\Foo`) [inferred].
 */
export function serviceImplementationClass(serviceInterface: string): string {
  const known = IMPLEMENTATIONS[serviceInterface];
  if (known) return known;
  return serviceInterface.replace('\\Api\\', '\\Model\\').replace(/Interface$/, '');
}

/** `result_message` of a successful operation (`OperationProcessor`). */
export function serviceSuccessMessage(serviceInterface: string, serviceMethod: string, implementationClass?: string): string {
  const cls = implementationClass ?? serviceImplementationClass(serviceInterface);
  return `Service execution success ${cls}\\Interceptor::${serviceMethod}`;
}
