import type pg from 'pg';
import { type FeedbackRecord, FeedbackRecordSchema } from '../feedback/feedback-record.js';
import { utcDay } from '../ledger/ledger-files.js';

/** The latest feedback per request, from every instance, among those that arrived on or after `from`'s day (as the local files answer). */
export async function latestFeedbackRows(pool: pg.Pool, from?: string): Promise<Map<string, FeedbackRecord>> {
  const { rows } = await pool.query<{ record: unknown }>(
    `select distinct on (request_id) record from tollgate_feedback
     where ($1::timestamptz is null or time >= $1::timestamptz)
     order by request_id, time desc, id desc`,
    [from ? `${utcDay(from)}T00:00:00.000Z` : null],
  );
  const latest = new Map<string, FeedbackRecord>();
  for (const row of rows) {
    const parsed = FeedbackRecordSchema.safeParse(row.record);
    if (parsed.success) latest.set(parsed.data.requestId, parsed.data);
  }
  return latest;
}
