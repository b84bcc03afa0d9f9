// Typed calls to Magento's bulk status routes (`AsynchronousOperations/etc/webapi.xml`):
// short `status` for polling, `detailed-status` only when someone opens failures or retries,
// and the `GET /V1/bulk` operation search for "Find Recent Bulks".
import * as z from 'zod';
import { type MagentoResponse, type MagentoTransport } from '../http/types';
import { type OperationSummary } from './bulkState';

/** The store answered 404 `Bulk uuid %bulkUuid not exist`. */
export class BulkNotFoundError extends Error {
  constructor(readonly bulkUuid: string) {
    super(`Bulk uuid ${bulkUuid} not exist`);
    this.name = 'BulkNotFoundError';
  }
}

/** A status call that failed for another reason (network, auth, 5xx, unparsable body). */
export class BulkStatusError extends Error {
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
    this.name = 'BulkStatusError';
  }
}

const nullableString = z.string().nullable().optional().transform((v) => v ?? null);
const nullableInt = z.union([z.number(), z.string()]).nullable().optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : Number(v)));

const shortOperationSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(Number),
  status: z.union([z.number(), z.string()]).transform(Number),
  result_message: nullableString,
  error_code: nullableInt,
});

const detailedOperationSchema = shortOperationSchema.extend({
  bulk_uuid: z.string().optional(),
  topic_name: z.string().nullable().optional(),
  serialized_data: z.string().nullable().optional(),
  result_serialized_data: z.string().nullable().optional(),
});

const bulkEnvelope = {
  bulk_id: z.string(),
  description: z.string().nullable().optional(),
  start_time: z.string().nullable().optional(),
  user_type: z.number().nullable().optional(),
  user_id: z.number().nullable().optional(),
  operation_count: z.union([z.number(), z.string()]).nullable().optional(),
};

const shortStatusSchema = z.object({ ...bulkEnvelope, operations_list: z.array(shortOperationSchema).nullable().optional() });
const detailedStatusSchema = z.object({ ...bulkEnvelope, operations_list: z.array(detailedOperationSchema).nullable().optional() });

export interface BulkEnvelope {
  bulkUuid: string;
  description: string;
  /** ms since epoch; Magento's `start_time` is `Y-m-d H:i:s` in UTC without a zone. */
  startedAt?: number;
  userType?: number;
  operationCount?: number;
}

export interface BulkShortStatus extends BulkEnvelope {
  operations: OperationSummary[];
}

export interface DetailedOperation extends OperationSummary {
  topicName: string | null;
  /** JSON string `{"entity_id":..,"meta_information":"<item JSON>","store_id":..}`; null once complete. */
  serializedData: string | null;
  resultSerializedData: string | null;
}

export interface BulkDetailedStatus extends BulkEnvelope {
  operations: DetailedOperation[];
}

/** `2018-07-12 16:07:53` (UTC) → ms since epoch. */
export function parseMagentoUtc(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** ms since epoch → `2018-07-12 16:07:53` (UTC), the format `start_time` filters compare with. */
export function formatMagentoUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function envelope(raw: z.infer<typeof shortStatusSchema>): BulkEnvelope {
  const startedAt = parseMagentoUtc(raw.start_time);
  const count = raw.operation_count === null || raw.operation_count === undefined ? undefined : Number(raw.operation_count);
  return {
    bulkUuid: raw.bulk_id,
    description: raw.description ?? '',
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(typeof raw.user_type === 'number' ? { userType: raw.user_type } : {}),
    ...(count !== undefined && Number.isFinite(count) ? { operationCount: count } : {}),
  };
}

function toSummary(op: z.infer<typeof shortOperationSchema>): OperationSummary {
  return { id: op.id, status: op.status, resultMessage: op.result_message, errorCode: op.error_code };
}

export function parseShortStatus(body: unknown): BulkShortStatus {
  const parsed = shortStatusSchema.safeParse(body);
  if (!parsed.success) throw new BulkStatusError(`Unexpected bulk status response: ${z.prettifyError(parsed.error)}`);
  return { ...envelope(parsed.data), operations: (parsed.data.operations_list ?? []).map(toSummary) };
}

export function parseDetailedStatus(body: unknown): BulkDetailedStatus {
  const parsed = detailedStatusSchema.safeParse(body);
  if (!parsed.success) throw new BulkStatusError(`Unexpected bulk detailed-status response: ${z.prettifyError(parsed.error)}`);
  return {
    ...envelope(parsed.data),
    operations: (parsed.data.operations_list ?? []).map((op) => ({
      ...toSummary(op),
      topicName: op.topic_name ?? null,
      serializedData: op.serialized_data ?? null,
      resultSerializedData: op.result_serialized_data ?? null,
    })),
  };
}

interface ErrorLike { status?: unknown; magentoMessage?: unknown; message?: unknown }

/** Is this a Magento `Bulk uuid ... not exist` 404 (either a response or a thrown client error)? */
function isBulkNotFound(status: number | undefined, message: string): boolean {
  return status === 404 && /bulk\s*uuid/i.test(message) && /not exist/i.test(message);
}

function messageOf(body: unknown, text: string): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return text.slice(0, 300);
}

/**
 * Sends a GET and returns the body; maps 404 "Bulk uuid ... not exist" to BulkNotFoundError
 * whether the transport returns error responses or throws them (MagentoApiError carries `status`).
 */
async function getJson(transport: MagentoTransport, path: string, uuid: string | undefined, storeCode: string | undefined, query?: string, signal?: AbortSignal): Promise<unknown> {
  let response: MagentoResponse;
  try {
    response = await transport.send({
      method: 'GET', path,
      ...(storeCode ? { storeCode } : {}),
      ...(query !== undefined ? { query } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    const e = (error ?? {}) as ErrorLike;
    const status = typeof e.status === 'number' ? e.status : undefined;
    const message = typeof e.magentoMessage === 'string' ? e.magentoMessage : typeof e.message === 'string' ? e.message : String(error);
    if (uuid !== undefined && isBulkNotFound(status, message)) throw new BulkNotFoundError(uuid);
    throw new BulkStatusError(error instanceof Error ? error.message : String(error), status);
  }
  if (response.status >= 400) {
    const message = messageOf(response.body, response.text);
    if (uuid !== undefined && isBulkNotFound(response.status, message)) throw new BulkNotFoundError(uuid);
    throw new BulkStatusError(`HTTP ${response.status}: ${message}`, response.status);
  }
  return response.body;
}

export interface BulkSearchOperation extends DetailedOperation {
  bulkUuid: string;
  /** The bulk's start time from `extension_attributes.start_time`. */
  bulkStartedAt?: number;
}

const searchItemSchema = detailedOperationSchema.extend({
  bulk_uuid: z.string(),
  extension_attributes: z.object({ start_time: z.string().nullable().optional() }).passthrough().nullable().optional(),
});
const searchResultSchema = z.object({
  items: z.array(searchItemSchema).nullable().optional(),
  total_count: z.number().optional(),
});

export interface BulkStatusApi {
  shortStatus(uuid: string, storeCode?: string, signal?: AbortSignal): Promise<BulkShortStatus>;
  detailedStatus(uuid: string, storeCode?: string, signal?: AbortSignal): Promise<BulkDetailedStatus>;
  /** `GET /V1/bulk?<searchCriteria query>`: operations (not bulks). */
  searchOperations(query: string, storeCode?: string): Promise<{ items: BulkSearchOperation[]; totalCount: number }>;
}

export function createBulkStatusApi(transport: MagentoTransport): BulkStatusApi {
  return {
    async shortStatus(uuid, storeCode, signal) {
      return parseShortStatus(await getJson(transport, `/V1/bulk/${encodeURIComponent(uuid)}/status`, uuid, storeCode, undefined, signal));
    },
    async detailedStatus(uuid, storeCode, signal) {
      return parseDetailedStatus(await getJson(transport, `/V1/bulk/${encodeURIComponent(uuid)}/detailed-status`, uuid, storeCode, undefined, signal));
    },
    async searchOperations(query, storeCode) {
      const body = await getJson(transport, '/V1/bulk', undefined, storeCode, query);
      const parsed = searchResultSchema.safeParse(body);
      if (!parsed.success) throw new BulkStatusError(`Unexpected /V1/bulk search response: ${z.prettifyError(parsed.error)}`);
      const items = (parsed.data.items ?? []).map((op): BulkSearchOperation => {
        const bulkStartedAt = parseMagentoUtc(op.extension_attributes?.start_time);
        return {
          ...toSummary(op),
          bulkUuid: op.bulk_uuid,
          topicName: op.topic_name ?? null,
          serializedData: op.serialized_data ?? null,
          resultSerializedData: op.result_serialized_data ?? null,
          ...(bulkStartedAt !== undefined ? { bulkStartedAt } : {}),
        };
      });
      return { items, totalCount: parsed.data.total_count ?? items.length };
    },
  };
}
