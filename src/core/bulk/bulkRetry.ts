// Sends a retry plan as a new bulk, tracks the new bulk as a child of its parent and records
// which parent operations were resubmitted (only the ones the store accepted), so the same
// operation is not retried twice by accident.
import * as z from 'zod';
import { type MagentoTransport } from '../http/types';
import { type BulkTracker } from './bulkTracker';
import { retryRequest, type RetryPlan } from './retrySelection';

const acceptedSchema = z.object({
  bulk_uuid: z.string(),
  request_items: z.array(z.object({
    id: z.union([z.number(), z.string()]).transform(Number),
    status: z.string(),
    error_message: z.string().nullable().optional(),
  })).default([]),
  errors: z.boolean().optional(),
});

export interface RetryOutcome {
  childUuid: string;
  /** Parent operation ids resubmitted and accepted. */
  retriedOperationIds: number[];
  /** Parent operation ids whose resubmission the store rejected (not marked retried). */
  rejected: { id: number; message?: string }[];
}

/** Submits a bulk request; returns the parsed 202 body or throws a clear error. */
export type SubmitBulk = (transport: MagentoTransport, plan: RetryPlan, payloads: readonly unknown[]) => Promise<unknown>;

async function submitDirect(transport: MagentoTransport, plan: RetryPlan, payloads: readonly unknown[]): Promise<unknown> {
  const response = await transport.send(retryRequest(plan, payloads));
  if (response.status !== 202 && response.status !== 200) {
    const message = response.body && typeof response.body === 'object' && 'message' in response.body ? String((response.body as { message: unknown }).message) : response.text.slice(0, 300);
    throw new Error(`The store refused the retry bulk (HTTP ${response.status}): ${message}`);
  }
  return response.body;
}

export interface SubmitRetryDeps {
  transport: MagentoTransport;
  tracker: BulkTracker;
  plan: RetryPlan;
  profileId: string;
  /** Payloads edited by the user (same order and length as plan.items); default the plan's. */
  payloads?: readonly unknown[];
  submit?: SubmitBulk;
}

export async function submitRetry(deps: SubmitRetryDeps): Promise<RetryOutcome> {
  const { plan, tracker } = deps;
  const payloads = deps.payloads ?? plan.items.map((i) => i.payload);
  if (payloads.length !== plan.items.length) throw new Error(`The edited retry has ${payloads.length} items; it must keep the ${plan.items.length} of the plan in order.`);
  if (payloads.length === 0) throw new Error('Nothing to retry.');
  const body = await (deps.submit ?? submitDirect)(deps.transport, plan, payloads);
  const parsed = acceptedSchema.safeParse(body);
  if (!parsed.success) throw new Error(`Unexpected answer to the retry bulk: ${z.prettifyError(parsed.error)}`);
  const accepted: number[] = [];
  const rejected: { id: number; message?: string }[] = [];
  const byIndex = new Map(parsed.data.request_items.map((item) => [item.id, item]));
  plan.items.forEach((item, index) => {
    const answer = byIndex.get(index);
    // A missing request item means the store did not say otherwise: Magento lists every item.
    if (!answer || answer.status === 'accepted') accepted.push(item.operationId);
    else rejected.push({ id: item.operationId, ...(answer.error_message ? { message: answer.error_message } : {}) });
  });
  const parent = tracker.get(plan.parentUuid);
  const childUuid = parsed.data.bulk_uuid;
  tracker.track({
    uuid: childUuid,
    profileId: deps.profileId,
    storeCode: plan.storeCode,
    description: parent?.description ?? `Retry of ${plan.parentUuid}`,
    ...(parent?.topic ? { topic: parent.topic } : {}),
    parentUuid: plan.parentUuid,
    operationCount: plan.items.length,
  });
  tracker.markRetried(plan.parentUuid, accepted, childUuid);
  return { childUuid, retriedOperationIds: accepted, rejected };
}
