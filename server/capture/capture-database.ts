import type { CapturedRequest } from './captured-request.js';

/** One policy's captured requests in [from, to) on the record's time. */
export interface CaptureQuery {
  policy: string;
  from: string;
  to: string;
}

/**
 * Where every instance's captured requests meet (PostgreSQL with TOLLGATE_DATABASE_URL). The
 * local capture files stay the write-ahead buffer: `ship` copies what they hold past its cursor,
 * and the capture store calls it after each append, one file operation at a time.
 */
export interface CaptureDatabase {
  /** Copies what the local files hold and the table does not; true once nothing is left (false: the database is away, retried later). */
  ship(): Promise<boolean>;
  /** Deletes rows older than each policy's retention (days kept, today included). */
  retain(options: { retentionDays: ReadonlyMap<string, number>; today: string }): Promise<void>;
  /** Every instance's captured requests, oldest first. */
  captured(query: CaptureQuery): AsyncGenerator<CapturedRequest>;
}
