// Bodies of the bulk status routes (contract §7). Key order and null rules follow Magento's
// output processor: every member of these interfaces has a non-nullable getter, so empty values
// print as `null` instead of being omitted.
import { magentoDateTime } from '../clock';
import { type StoredBulk, type StoredOperation } from '../queue/operationStore';

export interface ShortOperation {
  id: number;
  status: number;
  result_message: string | null;
  error_code: number | null;
}

export interface DetailedOperation {
  id: number;
  bulk_uuid: string;
  topic_name: string;
  serialized_data: string | null;
  result_serialized_data: string | null;
  status: number;
  result_message: string | null;
  error_code: number | null;
}

export interface BulkStatusBody<T> {
  operations_list: T[];
  user_type: number;
  bulk_id: string;
  description: string;
  start_time: string;
  user_id: number | null;
  operation_count: number;
}

/** `Bulk uuid %bulkUuid not exist`, 404 with named parameters (BulkStatus::getBulkDetailedStatus). */
export const BULK_NOT_FOUND = 'Bulk uuid %bulkUuid not exist';

export function shortOperation(op: StoredOperation<unknown>): ShortOperation {
  return { id: op.id, status: op.status, result_message: op.resultMessage, error_code: op.errorCode };
}

export function detailedOperation(op: StoredOperation<unknown>): DetailedOperation {
  return {
    id: op.id,
    bulk_uuid: op.bulkUuid,
    topic_name: op.topicName,
    serialized_data: op.serializedData,
    result_serialized_data: op.resultSerializedData,
    status: op.status,
    result_message: op.resultMessage,
    error_code: op.errorCode,
  };
}

function envelope<T>(bulk: StoredBulk<unknown>, operations: T[]): BulkStatusBody<T> {
  return {
    operations_list: operations,
    user_type: bulk.userType,
    bulk_id: bulk.uuid,
    description: bulk.description,
    start_time: magentoDateTime(bulk.startTime),
    user_id: bulk.userId,
    operation_count: bulk.operations.length,
  };
}

export function bulkShortStatus(bulk: StoredBulk<unknown>): BulkStatusBody<ShortOperation> {
  return envelope(bulk, bulk.operations.map(shortOperation));
}

export function bulkDetailedStatus(bulk: StoredBulk<unknown>): BulkStatusBody<DetailedOperation> {
  return envelope(bulk, bulk.operations.map(detailedOperation));
}

/** `getOperationsCountByBulkIdAndStatus`: no UUID check, so an unknown bulk counts 0 [inferred]. */
export function operationCount(bulk: StoredBulk<unknown> | undefined, status: number): number {
  if (!bulk) return 0;
  let count = 0;
  for (const op of bulk.operations) if (op.status === status) count++;
  return count;
}

/** An item of `GET /V1/bulk` (OperationRepositoryInterface::getList): the bulk's start time rides along. */
// `extension_attributes` comes first: the output processor follows the interface's getter order,
// which the schema's `asynchronous-operations-data-operation-interface` properties show.
export type SearchedOperation = { extension_attributes: { start_time: string } } & DetailedOperation;

export function searchedOperation(op: StoredOperation<unknown>, bulk: StoredBulk<unknown>): SearchedOperation {
  return { extension_attributes: { start_time: magentoDateTime(bulk.startTime) }, ...detailedOperation(op) };
}
