import type pg from 'pg';
import { type FeedbackRecord, FeedbackRecordSchema } from '../feedback/feedback-record.js';
import { LedgerRecordSchema } from '../ledger/ledger-record.js';
import { DAY_MS, ROLLUP_DAYS, UsageRollups } from '../ledger/usage-rollups.js';

const PAGE = 5000;

interface Row {
  tx: string;
  id: string;
  record: unknown;
}

/** Where a read of one table's window got to: a read that failed midway resumes after it, adding nothing twice. */
type After = { tx: string; id: string } | null;

/** Rows of transactions below `upTo` (and at or above the last window's) being read, with how far each table got. */
interface ReadWindow {
  upTo: string;
  feedbackAfter: After;
  after: After;
}

export interface DatabaseRollupsOptions {
  pool: pg.Pool;
  /** How often committed rows are read in the background; each dashboard read also reads what is new. */
  intervalMs?: number;
}

/**
 * The hour and day rollups of every instance's records, kept by tailing `tollgate_ledger`. Rows
 * are read in windows of shipping-transaction ids below the oldest transaction still running
 * (`pg_snapshot_xmin`): every transaction below it has ended, so each committed row falls in exactly
 * one window and is added once, however the instances' batches interleave. Feedback is tailed the
 * same way from `tollgate_feedback`, before the records of the same window, so quality per route
 * counts the verdicts given on any instance (the latest per request).
 */
export class DatabaseRollups {
  readonly rollups = new UsageRollups();
  /** Transactions below this were read. */
  private readUpTo: string | null = null;
  /** The window being read and the last row added from it, per table. */
  private window: ReadWindow | null = null;
  /** The latest verdict per request, for records read later than their feedback. */
  private readonly latest = new Map<string, FeedbackRecord>();
  private running: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: DatabaseRollupsOptions) {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), options.intervalMs ?? 5000);
    this.timer.unref();
  }

  /** The rollups with every row committed before this call. */
  async current(): Promise<UsageRollups> {
    await this.running?.catch(() => undefined);
    await this.refresh();
    return this.rollups;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private refresh(): Promise<void> {
    return (this.running ??= this.read().finally(() => (this.running = null)));
  }

  private async read(): Promise<void> {
    const { pool } = this.options;
    if (!this.window) {
      const { rows: snapshot } = await pool.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
      this.window = { upTo: snapshot[0]!.xmin, feedbackAfter: null, after: null };
    }
    const window = this.window;
    const from = new Date(Date.now() - ROLLUP_DAYS * DAY_MS).toISOString();
    await this.tail({ table: 'tollgate_feedback', window, at: 'feedbackAfter', from }, (record) => {
      const feedback = FeedbackRecordSchema.safeParse(record);
      if (!feedback.success) return;
      const before = this.latest.get(feedback.data.requestId);
      if (before && before.time > feedback.data.time) return;
      this.latest.set(feedback.data.requestId, feedback.data);
      this.rollups.score(feedback.data.requestId, feedback.data.score);
    });
    await this.tail({ table: 'tollgate_ledger', window, at: 'after', from }, (record) => {
      const parsed = LedgerRecordSchema.safeParse(record);
      if (parsed.success) this.rollups.add(parsed.data, this.latest.get(parsed.data.id)?.score);
    });
    this.readUpTo = window.upTo;
    this.window = null;
  }

  /** Hands over the rows of one table in the window, page by page, noting in the window how far it got after each page. */
  private async tail(
    query: { table: 'tollgate_ledger' | 'tollgate_feedback'; window: ReadWindow; at: 'after' | 'feedbackAfter'; from: string },
    add: (record: unknown) => void,
  ): Promise<void> {
    const { window, at } = query;
    for (;;) {
      const after = window[at];
      const { rows }: pg.QueryResult<Row> = await this.options.pool.query<Row>(
        `select tx::text as tx, id, record from ${query.table}
         where ($1::xid8 is null or tx >= $1::xid8) and tx < $2::xid8 and time >= $3
           and ($4::xid8 is null or (tx, id) > ($4::xid8, $5))
         order by tx, id limit ${PAGE}`,
        [this.readUpTo, window.upTo, query.from, after?.tx ?? null, after?.id ?? ''],
      );
      for (const row of rows) add(row.record);
      const last = rows[rows.length - 1];
      if (last) window[at] = { tx: last.tx, id: last.id };
      if (rows.length < PAGE) return;
    }
  }
}
