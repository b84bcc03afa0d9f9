// Magento's Web API exception shapes. `message` is always the raw phrase with `%1`/`%name`
// placeholders; values travel in `parameters` (contract §3). The HTTP status follows
// ErrorProcessor::maskException: NoSuchEntity → 404, authorization/authentication → 401,
// other localized exceptions → 400, anything unexpected → 500 with a masked message.

export type PhraseParameters = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface ErrorEntry {
  message: string;
  parameters?: PhraseParameters;
}

export class WebapiError extends Error {
  constructor(
    readonly status: number,
    readonly phrase: string,
    readonly parameters?: PhraseParameters,
    readonly errors?: readonly ErrorEntry[],
    readonly code?: number,
  ) {
    super(phrase);
    this.name = 'WebapiError';
  }

  /** The JSON body Magento renders: keys in the order message, errors, code, parameters; each only when present. */
  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.phrase };
    if (this.errors && this.errors.length > 0) {
      body.errors = this.errors.map((e) => (e.parameters === undefined ? { message: e.message } : { message: e.message, parameters: e.parameters }));
    }
    if (this.code !== undefined && this.code !== 0) body.code = this.code;
    if (this.parameters !== undefined && !isEmptyParameters(this.parameters)) body.parameters = this.parameters;
    return body;
  }
}

function isEmptyParameters(p: PhraseParameters): boolean {
  return Array.isArray(p) ? p.length === 0 : Object.keys(p).length === 0;
}

export const MESSAGES = {
  noRoute: 'Request does not match any route.',
  cannotProcess: 'Specified request cannot be processed.',
  methodNotSupported: 'The %1 HTTP method is not supported.',
  notAcceptable: 'Server cannot match any of the given Accept HTTP header media type(s) from the request: "%1" with media types from the config of response renderer.',
  contentTypeEmpty: 'Content-Type header is empty.',
  contentTypeInvalid: 'Content-Type header is invalid.',
  charsetNotUtf8: 'UTF-8 is the only supported charset.',
  contentTypeUnknown: 'Server cannot understand Content-Type HTTP header media type %1',
  decodingError: 'Decoding error.',
  required: '"%fieldName" is required. Enter and try again.',
  aggregate: 'One or more input exceptions have occurred.',
  notAuthorized: "The consumer isn't authorized to access %resources.",
  signIn: 'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
  invalidType: 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
  internal: 'Internal Error. Details are available in Magento log file. Report ID: %1',
} as const;

/** 400 for one or several missing/invalid inputs: one entry becomes the top-level message, several an aggregate. */
export function inputError(entries: readonly ErrorEntry[]): WebapiError {
  if (entries.length === 1) {
    const only = entries[0] as ErrorEntry;
    return new WebapiError(400, only.message, only.parameters);
  }
  return new WebapiError(400, MESSAGES.aggregate, undefined, entries);
}

export function requiredField(fieldName: string): ErrorEntry {
  return { message: MESSAGES.required, parameters: { fieldName } };
}

export function notAuthorized(resources: readonly string[]): WebapiError {
  return new WebapiError(401, MESSAGES.notAuthorized, { resources: resources.join(', ') });
}

export function noSuchEntity(phrase: string, parameters?: PhraseParameters): WebapiError {
  return new WebapiError(404, phrase, parameters);
}

export function badRequest(phrase: string, parameters?: PhraseParameters): WebapiError {
  return new WebapiError(400, phrase, parameters);
}

/** Anything that is not a WebapiError is masked as Magento does in production mode. */
export function toWebapiError(error: unknown, reportId: () => string): WebapiError {
  if (error instanceof WebapiError) return error;
  return new WebapiError(500, MESSAGES.internal, [`webapi-${reportId()}`]);
}
