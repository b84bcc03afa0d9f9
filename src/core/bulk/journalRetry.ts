// Adapts Convert's submission journal and bulk submitter to retry: payloads come from what was
// actually sent (Magento drops the payload of successful operations), and the retry bulk itself
// is journalled, so a retry of a retry still has its payloads.
import { type HttpMethod, type MagentoTransport } from '../http/types';
import { submitBatches } from '../convert/bulkSubmitter';
import { type SubmissionJournal } from '../convert/submissionJournal';
import { type RetryPayloadSource, type RetryPlan } from './retrySelection';
import { type SubmitBulk } from './bulkRetry';

const METHODS = new Set<string>(['POST', 'PUT', 'DELETE', 'PATCH']);

export function journalPayloadSource(journal: SubmissionJournal): RetryPayloadSource {
  return {
    async payloadsFor(bulkUuid, operationIds) {
      const found = await journal.payloadsFor(bulkUuid, operationIds);
      if (!found.batch) return undefined;
      const method = found.batch.method.toUpperCase();
      return {
        ...(METHODS.has(method) ? { route: { method: method as HttpMethod, bulkPath: found.batch.path } } : {}),
        storeCode: found.batch.storeCode,
        payloads: found.payloads,
      };
    },
  };
}

/** Sends the retry through Convert's submitter (journalled); returns a 202-shaped body for submitRetry. */
export function journalledSubmit(journal: SubmissionJournal, profileId: string): SubmitBulk {
  return async (transport: MagentoTransport, plan: RetryPlan, payloads: readonly unknown[]) => {
    const session = await journal.startSession();
    try {
      const summary = await submitBatches(
        [{ method: plan.route.method, path: plan.route.bulkPath, storeCode: plan.storeCode, bodyJson: JSON.stringify(payloads), firstItemIndex: 0, itemCount: payloads.length }],
        { transport, journal: session, profileId, storeCode: plan.storeCode, concurrency: 1 },
      );
      const outcome = summary.outcomes[0];
      if (!outcome || !outcome.bulkUuid) {
        throw new Error(`The retry bulk was not accepted: ${outcome?.error?.message ?? 'no answer'}`);
      }
      return { bulk_uuid: outcome.bulkUuid, request_items: outcome.requestItems ?? [], errors: outcome.rejected.length > 0 };
    } finally {
      await session.close();
    }
  };
}
