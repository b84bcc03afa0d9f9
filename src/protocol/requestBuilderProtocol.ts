// The one message protocol between the request builder panel (host) and its webview (UI).
// Both sides import this file and validate every inbound message with `parse*` below; an
// invalid message is reported and dropped, never half-handled. Nothing that crosses it may
// carry a secret: profiles travel as summaries (id, label, auth kind), URLs never hold
// credentials (auth goes in headers on the host), and exported cURL is masked unless the
// user asked for the secrets, in which case the host copies it to the clipboard itself.
//
// Shape: the webview sends `commands` (fire and forget) and `requests` (carry an `id`; the
// host answers with exactly one `reply` holding the same id). The host sends
// `notifications`. The webview's first message is always `ready`; the host posts nothing
// before it, then answers with `init` (its state: the host owns the truth).
// Namespace import keeps the webview bundle small: `import { z }` defeats tree shaking (~450 KB vs ~85 KB).
import * as z from 'zod';

// ---------------------------------------------------------------------------------------
// Building blocks shared with the core (structurally equal to src/core/search types).

export const httpMethodSchema = z.enum(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
export type HttpMethodName = z.infer<typeof httpMethodSchema>;

export const searchFilterSchema = z.object({
  field: z.string(),
  value: z.string(),
  conditionType: z.string(),
});

export const searchCriteriaSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(searchFilterSchema) })),
  sortOrders: z.array(z.object({ field: z.string(), direction: z.enum(['ASC', 'DESC']) })),
  pageSize: z.number().int().min(0).optional(),
  currentPage: z.number().int().min(0).optional(),
});
export type SearchCriteriaDraft = z.infer<typeof searchCriteriaSchema>;

/** Everything that defines one request in the builder; persisted in webview state and history. */
export const requestDraftSchema = z.object({
  profileId: z.string().optional(),
  method: httpMethodSchema,
  /** Path template after `/rest/<store>`, e.g. `/V1/products/{sku}`; may also be a concrete path. */
  pathTemplate: z.string().max(2000),
  pathParams: z.record(z.string(), z.string()),
  /** Store code; the profile's store code when empty. */
  storeCode: z.string().max(64).optional(),
  /** Whether the searchCriteria editor contributes to the query (list endpoints). */
  useSearchCriteria: z.boolean(),
  searchCriteria: searchCriteriaSchema,
  /** The `fields` parameter, as typed or produced by the picker; empty = no filtering. */
  fields: z.string().max(20_000),
  /** Other query parameters, already encoded (`a=1&b=2`), kept as the user typed them. */
  extraQuery: z.string().max(20_000),
  /** JSON body text for writes (not parsed here: the editor may hold work in progress). */
  body: z.string().max(5_000_000),
});
export type RequestDraft = z.infer<typeof requestDraftSchema>;

export function emptyDraft(): RequestDraft {
  return {
    method: 'GET',
    pathTemplate: '',
    pathParams: {},
    useSearchCriteria: false,
    searchCriteria: { filterGroups: [], sortOrders: [] },
    fields: '',
    extraQuery: '',
    body: '',
  };
}

export const profileSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  baseUrl: z.string(),
  storeCode: z.string(),
  authKind: z.string(),
  production: z.boolean(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

/** One endpoint of the store's schema, small enough to list hundreds of them. */
export const operationSummarySchema = z.object({
  method: httpMethodSchema,
  pathTemplate: z.string(),
  pathParams: z.array(z.string()),
  tag: z.string(),
  summary: z.string(),
  operationId: z.string(),
  hasBody: z.boolean(),
  /** The operation takes `searchCriteria` (a repository getList). */
  isList: z.boolean(),
});
export type OperationSummary = z.infer<typeof operationSummarySchema>;

/** A node of the fields picker: the response definition as a tree. */
export interface FieldNode {
  name: string;
  /** `object`, `array` (of objects), `scalar`, or `custom_attributes` (keyed by attribute code). */
  kind: 'object' | 'array' | 'scalar' | 'custom_attributes';
  type?: string;
  description?: string;
  children?: FieldNode[];
}
export const fieldNodeSchema: z.ZodType<FieldNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    kind: z.enum(['object', 'array', 'scalar', 'custom_attributes']),
    type: z.string().optional(),
    description: z.string().optional(),
    children: z.array(fieldNodeSchema).optional(),
  }),
);

export const operationDetailSchema = z.object({
  operation: operationSummarySchema,
  /** Top-level response fields for the picker (for lists: items[...], total_count, search_criteria). */
  responseFields: z.array(fieldNodeSchema),
  /** Filterable (top-level scalar) fields of the list item, for filter/sort suggestions. */
  itemFields: z.array(z.object({ name: z.string(), type: z.string().optional() })),
  /** JSON skeleton for the body, pretty-printed; empty for reads. */
  bodySkeleton: z.string(),
  /** Non-searchCriteria query parameters the operation declares. */
  queryParams: z.array(z.object({ name: z.string(), required: z.boolean(), type: z.string().optional() })),
});
export type OperationDetail = z.infer<typeof operationDetailSchema>;

export const historyEntrySchema = z.object({
  id: z.string(),
  profileId: z.string(),
  at: z.number(),
  draft: requestDraftSchema,
  status: z.number().optional(),
  timeMs: z.number().optional(),
  /** The request body was longer than the history cap and was not kept. */
  bodyOmittedChars: z.number().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

const headersSchema = z.record(z.string(), z.string());

export const responseBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('json'), value: z.unknown() }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  /** Too large for the panel: written to a file and opened in an editor. */
  z.object({ kind: z.literal('file'), path: z.string(), bytes: z.number(), reason: z.string() }),
]);
export type ResponseBody = z.infer<typeof responseBodySchema>;

export const sendResultSchema = z.object({
  status: z.number(),
  timeMs: z.number(),
  headersMs: z.number(),
  bytes: z.object({ wire: z.number(), decoded: z.number() }),
  headers: headersSchema,
  /** Request headers as sent, with credentials masked. */
  requestHeaders: headersSchema,
  url: z.string(),
  body: responseBodySchema,
  /** Paging facts read from a searchCriteria response (for next/previous). */
  paging: z
    .object({ totalCount: z.number(), pageSize: z.number().optional(), currentPage: z.number().optional() })
    .optional(),
});
export type SendResult = z.infer<typeof sendResultSchema>;

// ---------------------------------------------------------------------------------------
// Requests (webview → host, answered by one reply each).

export const requestSchemas = {
  /** The store's schema as endpoint summaries (cached per profile; `refresh` refetches). */
  loadSchema: {
    params: z.object({ profileId: z.string(), refresh: z.boolean().optional() }),
    result: z.object({ operations: z.array(operationSummarySchema), fetchedAt: z.number(), source: z.string() }),
  },
  describeOperation: {
    params: z.object({ profileId: z.string(), method: httpMethodSchema, pathTemplate: z.string() }),
    result: operationDetailSchema,
  },
  send: {
    params: z.object({ draft: requestDraftSchema }),
    result: sendResultSchema,
  },
  /** Fetch every page into a file; progress arrives as `fetchAllProgress` notifications. */
  fetchAllPages: {
    params: z.object({ draft: requestDraftSchema, jobId: z.string(), format: z.enum(['jsonl', 'json']) }),
    result: z.object({ path: z.string(), pages: z.number(), items: z.number(), totalCount: z.number(), cancelled: z.boolean() }),
  },
  /** Masked cURL text for display; `revealSecrets` copies the unmasked one to the clipboard on the host. */
  exportCurl: {
    params: z.object({ draft: requestDraftSchema, revealSecrets: z.boolean() }),
    result: z.object({ curl: z.string(), copied: z.boolean() }),
  },
  saveHttpFile: {
    params: z.object({ draft: requestDraftSchema }),
    result: z.object({ path: z.string().optional() }),
  },
  convertToAsync: {
    params: z.object({ draft: requestDraftSchema }),
    result: z.object({ started: z.boolean(), message: z.string() }),
  },
  /** Opens the last large response file (or any path the host wrote) in an editor. */
  openFile: {
    params: z.object({ path: z.string() }),
    result: z.object({ opened: z.boolean() }),
  },
} as const;
export type RequestMethod = keyof typeof requestSchemas;
export type RequestParams<M extends RequestMethod> = z.infer<(typeof requestSchemas)[M]['params']>;
export type RequestResult<M extends RequestMethod> = z.infer<(typeof requestSchemas)[M]['result']>;
export const requestMethods = Object.keys(requestSchemas) as RequestMethod[];

const requestEnvelope = z.object({
  type: z.literal('request'),
  id: z.string().min(1).max(100),
  method: z.enum(requestMethods as [RequestMethod, ...RequestMethod[]]),
  params: z.unknown(),
});

// ---------------------------------------------------------------------------------------
// Commands (webview → host, no reply).

export const webviewCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The draft changed (debounced by the UI): the host keeps it for restore and the tab title. */
  z.object({ type: z.literal('draftChanged'), draft: requestDraftSchema }),
  z.object({ type: z.literal('selectProfile'), profileId: z.string() }),
  z.object({ type: z.literal('cancel'), jobId: z.string() }),
  z.object({ type: z.literal('openHistoryEntry'), entryId: z.string(), inNewPanel: z.boolean() }),
  z.object({ type: z.literal('clearHistory'), profileId: z.string() }),
  z.object({ type: z.literal('manageProfiles') }),
  /**
   * Sent once, after the first frame that shows the shell. Times are milliseconds since the
   * webview document's time origin (`timeOrigin`, epoch ms), so the host can place them on its
   * own clock: when the script started, when the shell was in the DOM, and when it was painted.
   */
  z.object({
    type: z.literal('firstPaint'),
    timeOrigin: z.number(),
    scriptStartMs: z.number(),
    shellRenderedMs: z.number(),
    paintedMs: z.number(),
  }),
]);
export type WebviewCommand = z.infer<typeof webviewCommandSchema>;

export type WebviewRequest = { [M in RequestMethod]: { type: 'request'; id: string; method: M; params: RequestParams<M> } }[RequestMethod];
export type WebviewMessage = WebviewCommand | WebviewRequest;

// ---------------------------------------------------------------------------------------
// Host → webview.

export const hostReplySchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.string(), ok: z.literal(false), error: z.object({ message: z.string(), hint: z.string().optional() }) }),
]);
export type HostReply = z.infer<typeof hostReplySchema>;

export const hostNotificationSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    draft: requestDraftSchema,
    profiles: z.array(profileSummarySchema),
    activeProfileId: z.string().optional(),
    history: z.array(historyEntrySchema),
    /** Whether "Convert to async / bulk" is available (the convert command is registered). */
    convertAvailable: z.boolean(),
    largeBodyThresholdBytes: z.number(),
  }),
  z.object({ type: z.literal('profiles'), profiles: z.array(profileSummarySchema), activeProfileId: z.string().optional() }),
  z.object({ type: z.literal('history'), history: z.array(historyEntrySchema) }),
  /** Replace the draft (history entry opened, `.http` request opened in this panel). */
  z.object({ type: z.literal('setDraft'), draft: requestDraftSchema }),
  z.object({
    type: z.literal('fetchAllProgress'),
    jobId: z.string(),
    pages: z.number(),
    items: z.number(),
    totalCount: z.number().optional(),
  }),
]);
export type HostNotification = z.infer<typeof hostNotificationSchema>;
export type HostMessage = HostNotification | HostReply;

// ---------------------------------------------------------------------------------------
// Validation, used on both sides.

export type ParseOutcome<T> = { ok: true; message: T } | { ok: false; error: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
}

/** Validates a message from the webview (host side). Requests have their params checked per method. */
export function parseWebviewMessage(raw: unknown): ParseOutcome<WebviewMessage> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'message is not an object' };
  if ((raw as { type?: unknown }).type === 'request') {
    const envelope = requestEnvelope.safeParse(raw);
    if (!envelope.success) return { ok: false, error: `invalid request: ${describeIssues(envelope.error)}` };
    const { id, method } = envelope.data;
    const params = requestSchemas[method].params.safeParse(envelope.data.params);
    if (!params.success) return { ok: false, error: `invalid params for ${method} (id ${id}): ${describeIssues(params.error)}` };
    return { ok: true, message: { type: 'request', id, method, params: params.data } as WebviewRequest };
  }
  const command = webviewCommandSchema.safeParse(raw);
  if (!command.success) return { ok: false, error: `invalid command: ${describeIssues(command.error)}` };
  return { ok: true, message: command.data };
}

/** Validates a message from the host (webview side). */
export function parseHostMessage(raw: unknown): ParseOutcome<HostMessage> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'message is not an object' };
  const schema = (raw as { type?: unknown }).type === 'reply' ? hostReplySchema : hostNotificationSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: `invalid host message: ${describeIssues(parsed.error)}` };
  return { ok: true, message: parsed.data };
}

/** Validates a reply's result against the method it answers (webview side, once the id is matched). */
export function parseReplyResult<M extends RequestMethod>(method: M, result: unknown): ParseOutcome<RequestResult<M>> {
  const parsed = requestSchemas[method].result.safeParse(result);
  if (!parsed.success) return { ok: false, error: `invalid ${method} result: ${describeIssues(parsed.error)}` };
  return { ok: true, message: parsed.data as RequestResult<M> };
}
