// The bulk status routes of `AsynchronousOperations/etc/webapi.xml` (contract §7), registered as
// ordinary sync routes so routing, ACL, `fields` and the schema treat them like any other.
import type { SandboxApp } from '../app';
import { noSuchEntity } from '../errors';
import { type OperationStore } from '../queue/operationStore';
import type { SyncRoute } from '../routing/routeTypes';
import { BULK_NOT_FOUND, bulkDetailedStatus, bulkShortStatus, operationCount } from './bulkStatus';
import { searchOperations } from './operationSearch';
import type { ListSettings } from '../search/collectionSearch';

export const BULK_STATUS_ACL = ['Magento_Logging::system_magento_logging_bulk_operations'] as const;

const BULK_STATUS_SERVICE = { className: 'Magento\\AsynchronousOperations\\Api\\BulkStatusInterface', name: 'asynchronousOperationsBulkStatusV1' };
const OPERATION_REPOSITORY_SERVICE = { className: 'Magento\\AsynchronousOperations\\Api\\OperationRepositoryInterface', name: 'asynchronousOperationsOperationRepositoryV1' };

const uuidParam = { name: 'bulkUuid', in: 'path', type: { kind: 'scalar', type: 'string' }, required: true } as const;

export function bulkStatusRoutes(operations: OperationStore<unknown>, settings: () => ListSettings): SyncRoute[] {
  const findBulk = (uuid: unknown): NonNullable<ReturnType<typeof operations.getBulk>> => {
    const bulk = operations.getBulk(String(uuid));
    if (!bulk) throw noSuchEntity(BULK_NOT_FOUND, { bulkUuid: String(uuid) });
    return bulk;
  };
  return [
    {
      method: 'GET',
      path: '/V1/bulk/:bulkUuid/status',
      service: { ...BULK_STATUS_SERVICE, method: 'getBulkShortStatus' },
      acl: BULK_STATUS_ACL,
      params: [uuidParam],
      response: { kind: 'ref', name: 'asynchronous-operations-data-bulk-operations-status-interface' },
      summary: 'Get Bulk summary data with list of operations items short data.',
      throws: [404],
      handler: ({ params }) => bulkShortStatus(findBulk(params.bulkUuid)),
    },
    {
      method: 'GET',
      path: '/V1/bulk/:bulkUuid/detailed-status',
      service: { ...BULK_STATUS_SERVICE, method: 'getBulkDetailedStatus' },
      acl: BULK_STATUS_ACL,
      params: [uuidParam],
      response: { kind: 'ref', name: 'asynchronous-operations-data-detailed-bulk-operations-status-interface' },
      summary: 'Get Bulk summary data with list of operations items full data.',
      throws: [404],
      handler: ({ params }) => bulkDetailedStatus(findBulk(params.bulkUuid)),
    },
    {
      method: 'GET',
      path: '/V1/bulk/:bulkUuid/operation-status/:status',
      service: { ...BULK_STATUS_SERVICE, method: 'getOperationsCountByBulkIdAndStatus' },
      acl: BULK_STATUS_ACL,
      params: [uuidParam, { name: 'status', in: 'path', type: { kind: 'scalar', type: 'integer' }, required: true }],
      response: { kind: 'scalar', type: 'integer' },
      summary: 'Get operations count by bulk uuid and status.',
      handler: ({ params }) => operationCount(operations.getBulk(String(params.bulkUuid)), Number(params.status)),
    },
    {
      method: 'GET',
      path: '/V1/bulk',
      service: { ...OPERATION_REPOSITORY_SERVICE, method: 'getList' },
      acl: BULK_STATUS_ACL,
      params: [{ name: 'searchCriteria', in: 'query', type: { kind: 'ref', name: 'framework-search-criteria-interface' }, required: true }],
      response: { kind: 'ref', name: 'asynchronous-operations-data-operation-search-results-interface' },
      summary: 'Lists the bulk operation items that match specified search criteria.',
      handler: ({ params }) => searchOperations(operations, params.searchCriteria, settings()),
    },
  ];
}

export function registerBulkStatusRoutes(app: SandboxApp, operations: OperationStore<unknown>): void {
  app.routes.addAll(bulkStatusRoutes(operations, () => app.settings));
}
