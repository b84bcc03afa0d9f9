// SchemaRequestProcessor: GET|any /rest/<store>/schema?services=all|a,b.
import type { ProcessorRequest, RequestProcessor, SandboxApp, SandboxReply } from '../app';
import { buildSwaggerDocument } from './swaggerGenerator';

/** `services` query param: `all` (or absent) → every service; else a comma list of service names. */
export function requestedServices(query: Record<string, unknown>): string[] | undefined {
  const raw = query.services;
  if (typeof raw !== 'string' || raw === '' || raw === 'all') return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function createSchemaProcessor(app: SandboxApp): RequestProcessor {
  return {
    name: 'schema',
    canProcess: (request) => request.path.replace(/^\/+/, '').startsWith('schema'),
    process(request: ProcessorRequest): Promise<SandboxReply> {
      const host = typeof request.headers.host === 'string' ? request.headers.host : new URL(request.origin).host;
      const doc = buildSwaggerDocument(app.routes.all(), {
        host,
        basePath: request.restBase,
        scheme: new URL(request.origin).protocol.replace(':', ''),
        services: requestedServices(request.query),
        caller: request.callerOrGuest(),
        definitions: app.schemaDefinitions,
      });
      return Promise.resolve({ status: 200, body: doc, escapeSlashes: false, statsKey: `${request.method} /schema` });
    },
  };
}
