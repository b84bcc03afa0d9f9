// GET /V1/bulk (OperationRepositoryInterface::getList, contract §7): searchCriteria over the
// stored *operations*, each carrying its bulk's start time as an extension attribute.
import { type OperationStore, type StoredBulk, type StoredOperation } from '../queue/operationStore';
import { criteriaFromParam, searchCollection, type ListSettings, type SearchResults } from '../search/collectionSearch';
import { magentoDateTime } from '../clock';
import { searchedOperation, type SearchedOperation } from './bulkStatus';

interface Row {
  op: StoredOperation<unknown>;
  bulk: StoredBulk<unknown>;
}

/** Filterable columns of the operation collection (joined with magento_bulk for start_time). */
function fieldValue(row: Row, field: string): unknown {
  const { op, bulk } = row;
  switch (field) {
    case 'id':
    case 'operation_key':
      return op.id;
    case 'bulk_uuid':
      return op.bulkUuid;
    case 'topic_name':
      return op.topicName;
    case 'serialized_data':
      return op.serializedData;
    case 'result_serialized_data':
      return op.resultSerializedData;
    case 'status':
      return op.status;
    case 'result_message':
      return op.resultMessage;
    case 'error_code':
      return op.errorCode;
    case 'start_time':
      return magentoDateTime(bulk.startTime);
    case 'started_at':
      return op.startedAt === null ? null : magentoDateTime(op.startedAt);
    default:
      return undefined;
  }
}

function* rows(operations: OperationStore<unknown>): Generator<Row> {
  for (const bulk of operations.bulkList()) for (const op of bulk.operations) yield { op, bulk };
}

/**
 * The search itself. 2.4 keys loaded operations by `operation_key`, which repeats per bulk, so a
 * page holding operations of two bulks throws "Item ... with the same ID already exists" — a
 * masked 500 (#29579, still open). Filter by `bulk_uuid` to stay inside one bulk.
 */
export function searchOperations(operations: OperationStore<unknown>, criteriaParam: unknown, settings: ListSettings): SearchResults<SearchedOperation> {
  const criteria = criteriaFromParam(criteriaParam);
  const found = searchCollection(rows(operations), criteria, settings, fieldValue);
  const seen = new Set<number>();
  for (const row of found.items) {
    if (seen.has(row.op.id)) {
      throw new Error(`Item (Magento\\AsynchronousOperations\\Model\\Operation\\Interceptor) with the same ID "${row.op.id}" already exists.`);
    }
    seen.add(row.op.id);
  }
  return { items: found.items.map((row) => searchedOperation(row.op, row.bulk)), search_criteria: found.search_criteria, total_count: found.total_count };
}
