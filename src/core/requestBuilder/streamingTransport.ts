// The request builder needs the response body as a stream (a 50 MB answer must not be
// buffered, decoded and parsed on the extension host's event loop). A MagentoTransport that
// can stream implements `sendStream`; the builder falls back to `send` otherwise.
import { type MagentoRequest, type MagentoTransport } from '../http/types';

export interface MagentoStreamResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as received on the wire (still content-encoded). Must be consumed or cancelled. */
  body: AsyncIterable<Uint8Array>;
  /** Milliseconds from dispatch to the response headers. */
  headersMs: number;
  url: string;
}

export interface StreamingMagentoTransport extends MagentoTransport {
  sendStream(request: MagentoRequest): Promise<MagentoStreamResponse>;
}

export function supportsStreaming(transport: MagentoTransport): transport is StreamingMagentoTransport {
  return typeof (transport as Partial<StreamingMagentoTransport>).sendStream === 'function';
}

/** A transport that can tell which Authorization header it would send (for an unmasked cURL export). */
export interface AuthorizingTransport extends MagentoTransport {
  authorizationHeader(request: MagentoRequest): Promise<string | undefined>;
}

export function supportsAuthorizationExport(transport: MagentoTransport): transport is AuthorizingTransport {
  return typeof (transport as Partial<AuthorizingTransport>).authorizationHeader === 'function';
}
