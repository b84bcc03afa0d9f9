// Async and bulk Swagger documents (contract §8.1): `GET /rest/<store>/async/schema` and
// `/async/bulk/schema` — the sync document without GET-only and synchronous-only methods, every
// response replaced by the 202 async response, basePath ending in `/async` or `/async/bulk`.
// Plus the definitions of the async/bulk types for every schema document.
import type { ProcessorRequest, RequestProcessor, SandboxApp, SandboxReply } from '../app';
import type { SyncRoute } from '../routing/routeTypes';
import { requestedServices } from '../schema/schemaProcessor';
import { buildSwaggerDocument } from '../schema/swaggerGenerator';
import { toBulkPath } from './bulkRoutes';

export const ASYNC_RESPONSE_DEFINITION = 'asynchronous-operations-data-async-response-interface';

const integer = (description: string): Record<string, unknown> => ({ type: 'integer', description });
const string = (description: string): Record<string, unknown> => ({ type: 'string', description });
const ref = (name: string): Record<string, unknown> => ({ $ref: `#/definitions/${name}` });

const BULK_ENVELOPE = {
  extension_attributes: ref('asynchronous-operations-data-bulk-summary-extension-interface'),
  user_type: integer('User type'),
  bulk_id: string('Bulk UUID'),
  description: string('Bulk description'),
  start_time: string('Time the bulk was scheduled'),
  user_id: integer('User id'),
  operation_count: integer('Number of operations scheduled in the bulk'),
};
const BULK_REQUIRED = ['operations_list', 'user_type', 'bulk_id', 'description', 'start_time', 'user_id', 'operation_count'];

/** The AsynchronousOperations data interfaces, by Magento's lower-dash definition names. */
export const ASYNC_DEFINITIONS: ReadonlyMap<string, Record<string, unknown>> = new Map<string, Record<string, unknown>>([
  [ASYNC_RESPONSE_DEFINITION, {
    type: 'object',
    description: 'Response of an asynchronous or bulk request.',
    properties: {
      bulk_uuid: string('Bulk UUID'),
      request_items: { type: 'array', description: 'One status per request item.', items: ref('asynchronous-operations-data-item-status-interface') },
      errors: { type: 'boolean', description: 'Whether any request item was rejected.' },
      extension_attributes: ref('asynchronous-operations-data-async-response-extension-interface'),
    },
    required: ['bulk_uuid', 'request_items', 'errors'],
  }],
  ['asynchronous-operations-data-async-response-extension-interface', { type: 'object', description: 'Extension attributes of the async response.' }],
  ['asynchronous-operations-data-item-status-interface', {
    type: 'object',
    description: 'Status of one request item.',
    properties: {
      id: integer('Item index in the request'),
      data_hash: string('SHA-256 of the stored operation data'),
      status: string('accepted or rejected'),
      error_message: string('Why the item was rejected'),
      error_code: integer('Error code of a rejected item'),
    },
    required: ['id', 'data_hash', 'status'],
  }],
  ['asynchronous-operations-data-summary-operation-status-interface', {
    type: 'object',
    description: 'Operation status without its data.',
    properties: { id: integer('Operation key'), status: integer('Operation status'), result_message: string('Result message'), error_code: integer('Error code') },
    required: ['id', 'status', 'result_message', 'error_code'],
  }],
  ['asynchronous-operations-data-operation-interface', {
    type: 'object',
    description: 'A bulk operation.',
    properties: {
      extension_attributes: ref('asynchronous-operations-data-operation-extension-interface'),
      id: integer('Operation key'),
      bulk_uuid: string('Bulk UUID'),
      topic_name: string('Queue topic'),
      serialized_data: string('Operation data'),
      result_serialized_data: string('Serialized result'),
      status: integer('Operation status'),
      result_message: string('Result message'),
      error_code: integer('Error code'),
    },
    required: ['id', 'bulk_uuid', 'topic_name', 'serialized_data', 'result_serialized_data', 'status', 'result_message', 'error_code'],
  }],
  ['asynchronous-operations-data-operation-extension-interface', { type: 'object', description: 'Extension attributes of an operation.', properties: { start_time: { type: 'string' } } }],
  ['asynchronous-operations-data-bulk-summary-extension-interface', { type: 'object', description: 'Extension attributes of a bulk summary.' }],
  ['asynchronous-operations-data-bulk-operations-status-interface', {
    type: 'object',
    description: 'Bulk summary with the short status of each operation.',
    properties: { operations_list: { type: 'array', description: 'Operations (short data).', items: ref('asynchronous-operations-data-summary-operation-status-interface') }, ...BULK_ENVELOPE },
    required: BULK_REQUIRED,
  }],
  ['asynchronous-operations-data-detailed-bulk-operations-status-interface', {
    type: 'object',
    description: 'Bulk summary with the full data of each operation.',
    properties: { operations_list: { type: 'array', description: 'Operations (full data).', items: ref('asynchronous-operations-data-operation-interface') }, ...BULK_ENVELOPE },
    required: BULK_REQUIRED,
  }],
  ['asynchronous-operations-data-operation-search-results-interface', {
    type: 'object',
    description: 'Operations matching a search.',
    properties: {
      items: { type: 'array', description: 'Operations.', items: ref('asynchronous-operations-data-operation-interface') },
      search_criteria: ref('framework-search-criteria-interface'),
      total_count: integer('Total count'),
    },
    required: ['items', 'search_criteria', 'total_count'],
  }],
]);

const ACCEPTED_RESPONSE = { code: '202', description: '202 Accepted.', ref: ASYNC_RESPONSE_DEFINITION };

/** ServiceMetadata plugin: GET and synchronous-only methods are not offered asynchronously. */
function offeredAsync(route: SyncRoute): boolean {
  return route.method !== 'GET' && !route.synchronousOnly;
}

function schemaProcessor(app: SandboxApp, kind: 'async' | 'bulk'): RequestProcessor {
  const prefix = kind === 'async' ? 'async/schema' : 'async/bulk/schema';
  const suffix = kind === 'async' ? '/async' : '/async/bulk';
  return {
    name: kind === 'async' ? 'asyncSchema' : 'bulkSchema',
    canProcess: (request) => request.path.replace(/^\/+/, '').startsWith(prefix),
    process(request: ProcessorRequest): Promise<SandboxReply> {
      const host = typeof request.headers.host === 'string' ? request.headers.host : new URL(request.origin).host;
      const doc = buildSwaggerDocument(app.routes.all(), {
        host,
        basePath: request.restBase + suffix,
        scheme: 'http',
        services: requestedServices(request.query),
        caller: request.callerOrGuest(),
        definitions: app.schemaDefinitions,
        transform: (route) => {
          if (!offeredAsync(route)) return undefined;
          return kind === 'bulk' ? { path: toBulkPath(route.path), response: ACCEPTED_RESPONSE } : { response: ACCEPTED_RESPONSE };
        },
      });
      return Promise.resolve({ status: 200, body: doc, escapeSlashes: false, statsKey: `${request.method} /${prefix}` });
    },
  };
}

export function installAsyncSchemas(app: SandboxApp): void {
  for (const [name, definition] of ASYNC_DEFINITIONS) app.schemaDefinitions.set(name, definition);
  app.setProcessor('asyncSchema', schemaProcessor(app, 'async'));
  app.setProcessor('bulkSchema', schemaProcessor(app, 'bulk'));
}
