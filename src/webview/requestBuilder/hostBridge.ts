// The webview's side of requestBuilderProtocol: typed requests with replies matched by id,
// commands, and notifications. Every host message is validated; invalid ones are reported
// in the console and dropped.
import {
  parseWebviewMessage,
  parseHostMessage,
  parseReplyResult,
  type HostNotification,
  type RequestMethod,
  type RequestParams,
  type RequestResult,
  type WebviewCommand,
} from '../../protocol/requestBuilderProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class ReplyError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private readonly pending = new Map<string, { method: RequestMethod; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly session = Math.random().toString(36).slice(2, 8);

  constructor(private readonly onNotification: (message: HostNotification) => void) {
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  getState<T>(): T | undefined {
    return this.api.getState() as T | undefined;
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  command(message: WebviewCommand): void {
    const valid = parseWebviewMessage(message);
    if (!valid.ok) {
      console.warn(`[requestBuilder] not sending an invalid command: ${valid.error}`);
      return;
    }
    this.api.postMessage(message);
  }

  request<M extends RequestMethod>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    const id = `${this.session}-${this.nextId++}`;
    const message = { type: 'request', id, method, params };
    // The host drops invalid messages without answering, so check here and fail at once instead of waiting forever.
    const valid = parseWebviewMessage(message);
    if (!valid.ok) return Promise.reject(new ReplyError(`The request could not be sent: ${valid.error}`));
    return new Promise<RequestResult<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      this.api.postMessage(message);
    });
  }

  private receive(raw: unknown): void {
    const parsed = parseHostMessage(raw);
    if (!parsed.ok) {
      console.warn(`[requestBuilder] dropped a host message: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type !== 'reply') {
      this.onNotification(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (!message.ok) {
      waiting.reject(new ReplyError(message.error.message, message.error.hint));
      return;
    }
    const result = parseReplyResult(waiting.method, message.result);
    if (result.ok) waiting.resolve(result.message);
    else waiting.reject(new ReplyError(result.error));
  }
}
