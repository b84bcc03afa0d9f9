// Fault injection for the consumer (`POST /__sandbox/faults {"operations": {...}}`): a share of
// operations failing retriably (2) or not (3), and rules by SKU. Decisions come from a seeded
// PRNG drawn in processing order, so the same submissions under the same seed fail the same way.
// `rejectOnSubmit` rules act earlier, at request time: the item gets no operation and comes back
// `rejected` in the 202 body (contract §6.3), which Magento only does when creating the operation throws.
import * as z from 'zod';
import { mulberry32 } from '../resources/random';

export const skuRuleSchema = z.object({
  skuPattern: z.string().min(1),
  status: z.union([z.literal(2), z.literal(3)]).default(3),
  message: z.string().min(1).optional(),
  errorCode: z.number().int().optional(),
});

export const rejectRuleSchema = z.object({
  skuPattern: z.string().min(1),
  message: z.string().min(1).optional(),
  errorCode: z.number().int().optional(),
});

export const operationFaultsSchema = z.object({
  failRetriablyShare: z.number().min(0).max(1).default(0),
  failShare: z.number().min(0).max(1).default(0),
  seed: z.number().int().default(1),
  skuRules: z.array(skuRuleSchema).default([]),
  rejectOnSubmit: z.array(rejectRuleSchema).default([]),
}).refine((f) => f.failRetriablyShare + f.failShare <= 1, {
  message: 'failRetriablyShare + failShare must not exceed 1',
});

export type OperationFaults = z.infer<typeof operationFaultsSchema>;
export type SkuRule = z.infer<typeof skuRuleSchema>;
export type RejectRule = z.infer<typeof rejectRuleSchema>;

/** Why an item was rejected at submit time: `request_items[].error_message` / `error_code`. */
export interface InjectedRejection {
  message: string;
  errorCode: number;
}

export interface InjectedFailure {
  status: 2 | 3;
  message: string;
  errorCode: number;
}

// A MySQL deadlock is the classic retriable failure (`DeadlockException`, SQLSTATE 40001, driver
// code 1213); OperationProcessor stores the exception's message and code [inferred numbers].
export const RETRIABLE_FAILURE_MESSAGE =
  'SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting transaction';
export const RETRIABLE_FAILURE_CODE = 1213;
export const INJECTED_FAILURE_MESSAGE = 'Sandbox injected failure: the operation could not be processed.';

/**
 * Default `error_message` of an item rejected at submit time. What throws inside publishMass's
 * per-item try is creating the operation: MessageValidator (run first) throws this LocalizedException
 * (code 0) when the topic is missing from the communication config — e.g. a stale config cache after
 * a module adds a route — so it is the rejection a real store most plausibly gives [inferred].
 */
export function rejectedOnSubmitMessage(topic: string): string {
  return `Specified topic "${topic}" is not declared.`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export class OperationFaultInjector {
  private faults: OperationFaults;
  private random: () => number;
  private rules: { rule: SkuRule; regex: RegExp }[] = [];
  private rejectRules: { rule: RejectRule; regex: RegExp }[] = [];

  constructor(faults?: Partial<OperationFaults>) {
    this.faults = operationFaultsSchema.parse(faults ?? {});
    this.random = mulberry32(this.faults.seed);
    this.compile();
  }

  /** Replaces the rules and restarts the PRNG from the (new) seed. */
  configure(faults: OperationFaults): void {
    this.faults = faults;
    this.random = mulberry32(faults.seed);
    this.compile();
  }

  current(): OperationFaults {
    return this.faults;
  }

  private compile(): void {
    this.rules = this.faults.skuRules.map((rule) => ({ rule, regex: globToRegExp(rule.skuPattern) }));
    this.rejectRules = this.faults.rejectOnSubmit.map((rule) => ({ rule, regex: globToRegExp(rule.skuPattern) }));
  }

  /**
   * The rejection for a request item touching these SKUs, if a `rejectOnSubmit` rule matches.
   * Deterministic (no PRNG draw), so it never shifts the consumer's share decisions.
   */
  rejectOnSubmit(skus: readonly string[], topic: string): InjectedRejection | undefined {
    for (const { rule, regex } of this.rejectRules) {
      if (skus.some((sku) => regex.test(sku))) {
        return { message: rule.message ?? rejectedOnSubmitMessage(topic), errorCode: rule.errorCode ?? 0 };
      }
    }
    return undefined;
  }

  /** The failure to inject for an operation touching these SKUs, if any. */
  decide(skus: readonly string[]): InjectedFailure | undefined {
    for (const { rule, regex } of this.rules) {
      if (skus.some((sku) => regex.test(sku))) {
        return {
          status: rule.status,
          message: rule.message ?? (rule.status === 2 ? RETRIABLE_FAILURE_MESSAGE : INJECTED_FAILURE_MESSAGE),
          errorCode: rule.errorCode ?? (rule.status === 2 ? RETRIABLE_FAILURE_CODE : 0),
        };
      }
    }
    const { failRetriablyShare, failShare } = this.faults;
    if (failRetriablyShare === 0 && failShare === 0) return undefined;
    const draw = this.random();
    if (draw < failRetriablyShare) return { status: 2, message: RETRIABLE_FAILURE_MESSAGE, errorCode: RETRIABLE_FAILURE_CODE };
    if (draw < failRetriablyShare + failShare) return { status: 3, message: INJECTED_FAILURE_MESSAGE, errorCode: 0 };
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * SKUs an operation touches: a `sku` path value or top-level key, or `sku` inside the entity
 * or inside entity lists (`sourceItems[].sku`), one level deep.
 */
export function skusOf(pathParams: Record<string, string>, item: unknown): string[] {
  const skus = new Set<string>();
  if (pathParams.sku !== undefined) skus.add(pathParams.sku);
  const visit = (value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      if (depth <= 2) for (const entry of value) visit(entry, depth + 1);
      return;
    }
    if (!isRecord(value)) return;
    if (typeof value.sku === 'string') skus.add(value.sku);
    if (depth < 2) for (const nested of Object.values(value)) visit(nested, depth + 1);
  };
  visit(item, 0);
  return [...skus];
}
