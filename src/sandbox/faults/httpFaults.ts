// HTTP fault injection for the sandbox store (`POST /__sandbox/faults {"http": {...}}`): what real
// stores and the proxies in front of them do to clients — 5xx and 429 answers, connections reset
// before or in the middle of a response, slow first bytes and trickled bodies, truncated or
// PHP-notice-polluted JSON — plus run-time events (tokens revoked, the clock jumping, the consumer
// stopping) fired on the N-th matching request so a test can place them "mid-run" exactly.
//
// Rules match by method and a path glob, fire with a seeded probability, at most `times` times,
// after skipping the first `after` matches. Decisions come from one seeded PRNG drawn in arrival
// order, so a sequential client sees the same faults on every run.
import * as z from 'zod';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mulberry32 } from '../resources/random';

export const HTTP_FAULT_KINDS = [
  'status',
  'reset-before-headers',
  'reset-mid-body',
  'slow-first-byte',
  'slow-body',
  'truncated-json',
  'malformed-json',
  'revoke-tokens',
  'advance-clock',
  'stop-consumer',
] as const;
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];

export const httpFaultRuleSchema = z.object({
  /** HTTP method, or `*` for any. */
  method: z.string().min(1).default('*'),
  /** Glob over the request path without the query (`*` = any run of characters), e.g. `/rest/*\/async/bulk/*`. */
  path: z.string().min(1).default('/rest/*'),
  fault: z.enum(HTTP_FAULT_KINDS),
  /** Probability per matching request (after `after`), drawn from the seeded PRNG. */
  rate: z.number().min(0).max(1).default(1),
  /** Maximum number of injections; unlimited when absent. */
  times: z.number().int().min(0).optional(),
  /** Matching requests to let through untouched before the rule may fire. */
  after: z.number().int().min(0).default(0),
  /** `status`: the HTTP status to answer (the request is not processed). */
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(429)]).optional(),
  /** `status` 503/429: the Retry-After header in seconds. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  /**
   * `reset-before-headers`: whether the store processes the request before the connection dies
   * (default true — the ambiguous case: the write happened, the client never hears of it).
   */
  processed: z.boolean().default(true),
  /** `slow-first-byte`: delay before the status line; `slow-body`: delay between chunks. */
  delayMs: z.number().int().min(0).max(120_000).default(1000),
  /** `slow-body`: bytes per chunk. */
  chunkBytes: z.number().int().min(1).default(64),
  /** `revoke-tokens`: which tokens. */
  tokenKind: z.enum(['admin', 'customer', 'all']).default('all'),
  /** `advance-clock`: seconds to jump forward. */
  advanceSeconds: z.number().min(0).default(0),
}).superRefine((rule, ctx) => {
  if (rule.fault === 'status' && rule.status === undefined) {
    ctx.addIssue({ code: 'custom', path: ['status'], message: 'a "status" fault needs "status": 500, 502, 503, 504 or 429' });
  }
});

export const httpFaultsSchema = z.object({
  seed: z.number().int().default(1),
  rules: z.array(httpFaultRuleSchema).max(100).default([]),
});

export type HttpFaultRule = z.infer<typeof httpFaultRuleSchema>;
export type HttpFaults = z.infer<typeof httpFaultsSchema>;

export interface HttpFaultDecision {
  rule: HttpFaultRule;
  index: number;
}

/** The events a fault may trigger in the store (wired by the plugin). */
export interface HttpFaultActions {
  revokeTokens(kind: 'admin' | 'customer' | 'all'): void;
  advanceClock(seconds: number): void;
  stopConsumer(): void;
  reportId(): string;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

interface CompiledRule {
  rule: HttpFaultRule;
  regex: RegExp;
  matched: number;
  injected: number;
}

export class HttpFaultInjector {
  private faults: HttpFaults = httpFaultsSchema.parse({});
  private random = mulberry32(1);
  private compiled: CompiledRule[] = [];

  /** Replaces every rule and restarts the PRNG and the counters. */
  configure(faults: HttpFaults): void {
    this.faults = faults;
    this.random = mulberry32(faults.seed);
    this.compiled = faults.rules.map((rule) => ({ rule, regex: globToRegExp(rule.path), matched: 0, injected: 0 }));
  }

  current(): HttpFaults & { counters: { matched: number; injected: number }[] } {
    return { ...this.faults, counters: this.compiled.map((c) => ({ matched: c.matched, injected: c.injected })) };
  }

  /** Total injections so far (all rules). */
  injectedTotal(): number {
    return this.compiled.reduce((n, c) => n + c.injected, 0);
  }

  /** The first rule that fires for this request, if any. Control endpoints are never faulted. */
  decide(method: string, path: string): HttpFaultDecision | undefined {
    if (path.startsWith('/__sandbox/')) return undefined;
    for (let index = 0; index < this.compiled.length; index++) {
      const c = this.compiled[index] as CompiledRule;
      if (c.rule.method !== '*' && c.rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!c.regex.test(path)) continue;
      c.matched++;
      if (c.matched <= c.rule.after) continue;
      if (c.rule.times !== undefined && c.injected >= c.rule.times) continue;
      if (c.rule.rate < 1 && this.random() >= c.rule.rate) continue;
      c.injected++;
      return { rule: c.rule, index };
    }
    return undefined;
  }
}

const STATUS_TEXT: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 429: 'Too Many Requests' };

/**
 * What a store answers for an injected status: Magento's own JSON for 500 (masked exception) and
 * 429 (backpressure, contract §8.2); the HTML pages nginx (502/504) and Magento's maintenance
 * mode (503) put in front of the API.
 */
export function faultStatusBody(status: number, reportId: string): { contentType: string; text: string } {
  if (status === 500) {
    return { contentType: 'application/json; charset=utf-8', text: JSON.stringify({ message: `Internal Error. Details are available in Magento log file. Report ID: webapi-${reportId}` }) };
  }
  if (status === 429) return { contentType: 'application/json; charset=utf-8', text: '{"message":"Too Many Requests","trace":null}' };
  if (status === 503) {
    return {
      contentType: 'text/html; charset=UTF-8',
      text: '<!doctype html>\n<html><head><title>Error 503: Service Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1>'
        + '<p>The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later.</p></body></html>\n',
    };
  }
  const text = STATUS_TEXT[status] ?? 'Error';
  return { contentType: 'text/html', text: `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n` };
}

/** A PHP deprecation notice printed before the JSON, the classic garbage of a misconfigured store. */
export const PHP_NOTICE_PREFIX = '<br />\n<b>Deprecated</b>:  Optional parameter $storeId declared before required parameter $sku is implicitly treated as a required parameter in <b>/var/www/html/app/code/Vendor/Module/Model/Sample.php</b> on line <b>42</b><br />\n';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the part of a fault that happens before the store handles the request. Returns true when
 * the exchange is over (answered or reset); false when the request goes on to the store.
 */
export async function applyFaultBeforeHandling(decision: HttpFaultDecision, req: IncomingMessage, res: ServerResponse, actions: HttpFaultActions): Promise<boolean> {
  const { rule } = decision;
  switch (rule.fault) {
    case 'status': {
      const status = rule.status ?? 500;
      const body = faultStatusBody(status, actions.reportId());
      const headers: Record<string, string | number> = { 'Content-Type': body.contentType, 'Content-Length': Buffer.byteLength(body.text) };
      if (rule.retryAfterSeconds !== undefined) headers['Retry-After'] = rule.retryAfterSeconds;
      res.writeHead(status, headers);
      res.end(body.text);
      return true;
    }
    case 'reset-before-headers':
      if (rule.processed) return false;
      req.socket.destroy();
      return true;
    case 'revoke-tokens':
      actions.revokeTokens(rule.tokenKind);
      return false;
    case 'advance-clock':
      actions.advanceClock(rule.advanceSeconds);
      return false;
    case 'stop-consumer':
      actions.stopConsumer();
      return false;
    default:
      return false;
  }
}

/**
 * Writes the store's answer with the fault applied (for the faults that act on the response).
 * `payload` is the rendered, uncompressed body.
 */
export async function writeFaultyResponse(decision: HttpFaultDecision, req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | number>, payload: Buffer): Promise<void> {
  const { rule } = decision;
  const isJson = String(headers['Content-Type'] ?? '').includes('json');
  switch (rule.fault) {
    case 'reset-before-headers':
      // The store did the work; the connection dies before the status line.
      req.socket.destroy();
      return;
    case 'reset-mid-body': {
      res.writeHead(status, { ...headers, 'Content-Length': payload.length });
      const half = Math.max(1, Math.floor(payload.length / 2));
      res.write(payload.subarray(0, Math.min(half, payload.length - 1)));
      // Let the bytes leave before the reset, so the client really is mid-body.
      await sleep(5);
      req.socket.destroy();
      return;
    }
    case 'slow-first-byte':
      await sleep(rule.delayMs);
      if (req.socket.destroyed) return;
      res.writeHead(status, { ...headers, 'Content-Length': payload.length });
      res.end(payload);
      return;
    case 'slow-body': {
      res.writeHead(status, { ...headers, 'Content-Length': payload.length });
      for (let offset = 0; offset < payload.length; offset += rule.chunkBytes) {
        if (req.socket.destroyed) return;
        res.write(payload.subarray(offset, offset + rule.chunkBytes));
        if (offset + rule.chunkBytes < payload.length) await sleep(rule.delayMs);
      }
      res.end();
      return;
    }
    case 'truncated-json': {
      // A complete HTTP message whose JSON stops half-way (a PHP fatal error mid-output, a full disk).
      const cut = isJson && payload.length > 1 ? payload.subarray(0, Math.floor(payload.length / 2)) : payload;
      res.writeHead(status, { ...headers, 'Content-Length': cut.length });
      res.end(cut);
      return;
    }
    case 'malformed-json': {
      const polluted = isJson ? Buffer.concat([Buffer.from(PHP_NOTICE_PREFIX, 'utf8'), payload]) : payload;
      res.writeHead(status, { ...headers, 'Content-Length': polluted.length });
      res.end(polluted);
      return;
    }
    default:
      res.writeHead(status, { ...headers, 'Content-Length': payload.length });
      res.end(payload);
  }
}

/** Faults whose effect is on the response, so the server must not compress or write it itself. */
export function faultShapesResponse(decision: HttpFaultDecision | undefined): decision is HttpFaultDecision {
  if (!decision) return false;
  return ['reset-before-headers', 'reset-mid-body', 'slow-first-byte', 'slow-body', 'truncated-json', 'malformed-json'].includes(decision.rule.fault);
}
