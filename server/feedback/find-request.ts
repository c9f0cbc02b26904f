import { readLedger } from '../ledger/read-ledger.js';
import type { RecentRequests, RequestRef } from './recent-requests.js';

const LOOKBACK_DAYS = 30;
/** Request ids are randomUUIDs; anything else cannot be in the ledger, and must not cost a scan of it. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where requests answered by other instances are found (PostgreSQL's ledger table); null when it does not know the id. */
export type RequestsElsewhere = (id: string) => Promise<RequestRef | null>;

/**
 * A request by id: the recent ones from memory, then the shared ledger when there is one (a
 * request another instance answered), then the last 30 days of this instance's ledger.
 */
export async function findRequest(options: { id: string; recent: RecentRequests; ledgerDir: string; now: number; elsewhere?: RequestsElsewhere | undefined }): Promise<RequestRef | null> {
  const known = options.recent.get(options.id);
  if (known) return known;
  if (!REQUEST_ID.test(options.id)) return null;
  // A database that is away leaves the local ledger to look in.
  const shared = await options.elsewhere?.(options.id).catch(() => null);
  if (shared) return shared;
  const from = new Date(options.now - LOOKBACK_DAYS * 86_400_000);
  for await (const record of readLedger(options.ledgerDir, { from, onSkip: () => {} })) {
    if (record.id === options.id) return record;
  }
  return null;
}
