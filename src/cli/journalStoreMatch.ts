// What the journal recorded a batch as sent with (profile id, store code) against the store this
// run connects to. `bulk pending` and `bulk rejected` both act on journalled batches and refuse
// to use another store for them: its bulks are not theirs, and a resubmission there would land
// the items in the wrong store.

/** The profile id profileFromArgs gives a store described by --base-url / MAGENTO_BASE_URL. */
export const COMMAND_LINE_PROFILE_ID = 'cli';

interface StoreRef {
  profileId: string;
  storeCode: string;
}

/**
 * Why `connection` cannot act for what `subject` (e.g. "batch 3f…") was sent with, or undefined
 * when it can. `consequence` says what using this store anyway would do.
 */
export function journalStoreMismatch(subject: string, sent: StoreRef, connection: StoreRef, consequence: string): string | undefined {
  if (sent.profileId === connection.profileId && sent.storeCode === connection.storeCode) return undefined;
  const sentWith = sent.profileId === COMMAND_LINE_PROFILE_ID
    ? `--base-url / MAGENTO_BASE_URL without --profile, store "${sent.storeCode}"`
    : `--profile ${sent.profileId}, store "${sent.storeCode}"`;
  const given = connection.profileId === COMMAND_LINE_PROFILE_ID ? `the --base-url store (profile id "cli")` : `profile "${connection.profileId}"`;
  return `${subject} was sent with profile id "${sent.profileId}" to store "${sent.storeCode}", but this run uses ${given}, store "${connection.storeCode}". `
    + `${consequence}; run it with ${sentWith}.`;
}
