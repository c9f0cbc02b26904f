import type pg from 'pg';
import { LedgerRecordSchema } from '../ledger/ledger-record.js';
import type { Scores } from '../ledger/summarize.js';
import { DAY_MS, ROLLUP_DAYS, UsageRollups } from '../ledger/usage-rollups.js';

const PAGE = 5000;

interface Row {
  tx: string;
  id: string;
  record: unknown;
}

export interface DatabaseRollupsOptions {
  pool: pg.Pool;
  /** Feedback scores known here, for quality per route (verdicts given on other instances are not in them). */
  scores?: Scores | undefined;
  /** How often committed rows are read in the background; each dashboard read also reads what is new. */
  intervalMs?: number;
}

/**
 * The hour and day rollups of every instance's records, kept by tailing `tollgate_ledger`. Rows
 * are read in windows of shipping-transaction ids below the oldest transaction still running
 * (`pg_snapshot_xmin`): every transaction below it has ended, so each committed row falls in exactly
 * one window and is added once, however the instances' batches interleave.
 */
export class DatabaseRollups {
  readonly rollups = new UsageRollups();
  /** Transactions below this were read. */
  private readUpTo: string | null = null;
  /** The window being read and the last row added from it: a read that failed midway resumes there, adding nothing twice. */
  private window: { upTo: string; after: { tx: string; id: string } | null } | null = null;
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
    const { pool, scores } = this.options;
    if (!this.window) {
      const { rows: snapshot } = await pool.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
      this.window = { upTo: snapshot[0]!.xmin, after: null };
    }
    const window = this.window;
    const from = new Date(Date.now() - ROLLUP_DAYS * DAY_MS).toISOString();
    for (;;) {
      const { rows }: pg.QueryResult<Row> = await pool.query<Row>(
        `select tx::text as tx, id, record from tollgate_ledger
         where ($1::xid8 is null or tx >= $1::xid8) and tx < $2::xid8 and time >= $3
           and ($4::xid8 is null or (tx, id) > ($4::xid8, $5))
         order by tx, id limit ${PAGE}`,
        [this.readUpTo, window.upTo, from, window.after?.tx ?? null, window.after?.id ?? ''],
      );
      for (const row of rows) {
        const parsed = LedgerRecordSchema.safeParse(row.record);
        if (parsed.success) this.rollups.add(parsed.data, scores?.get(parsed.data.id)?.score);
      }
      const last = rows[rows.length - 1];
      if (last) window.after = { tx: last.tx, id: last.id };
      if (rows.length < PAGE) break;
    }
    this.readUpTo = window.upTo;
    this.window = null;
  }
}
