// The small API other features use to hand a freshly submitted bulk to the Bulk Operations view.
//
// Convert (or anything else that submits a bulk) calls `trackBulkViaCommand(...)` right after the
// store answered 202: it goes through the `magentoWorkbench.bulk.track` command, so the caller
// needs no reference to the tracker and activation order does not matter. Inside the bulk
// feature, `BulkTrackingService` is the same operation on the live tracker.
import * as vscode from 'vscode';

export const TRACK_BULK_COMMAND = 'magentoWorkbench.bulk.track';

export interface TrackBulkRequest {
  /** `bulk_uuid` from the 202 answer. */
  uuid: string;
  profileId: string;
  storeCode: string;
  /** e.g. `Topic async.magento.catalog.api.productrepositoryinterface.save.put` or the user's words. */
  description: string;
  /** The async topic when the submitter knows it (gives the tree its label before the first poll). */
  topic?: string;
  /** Number of items submitted (the tree shows "0/100 done" before the first poll). */
  operationCount?: number;
  /** Set when this bulk retries failed operations of another bulk. */
  parentUuid?: string;
  /** Reveal the bulk in the view (default true). */
  reveal?: boolean;
}

export interface BulkTrackingService {
  trackBulk(request: TrackBulkRequest): Promise<void>;
}

/** Starts tracking a submitted bulk; safe to call from any feature. */
export async function trackBulkViaCommand(request: TrackBulkRequest): Promise<void> {
  await vscode.commands.executeCommand(TRACK_BULK_COMMAND, request);
}

/** Recognises the argument object of the track command (vs. a tree node or nothing). */
export function isTrackBulkRequest(value: unknown): value is TrackBulkRequest {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.uuid === 'string' && typeof v.profileId === 'string' && typeof v.storeCode === 'string'
    && typeof v.description === 'string';
}
