import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { HttpError } from '../errors/http-error.js';
import type { Logger } from '../log.js';
import { LedgerRecordSchema, type LedgerRecord } from '../ledger/ledger-record.js';
import type { CaptureDatabase } from '../capture/capture-database.js';
import { CaptureShipper } from './capture-shipper.js';
import { capturedRows } from './captured-rows.js';
import type { FeedbackRecord } from '../feedback/feedback-record.js';
import { latestFeedbackRows } from './feedback-rows.js';
import { LedgerShipper } from './ledger-shipper.js';
import { FEEDBACK_FILES } from './shipped-files.js';
import { migrate } from './migrations.js';
import { DatabaseRollups } from './database-rollups.js';
import type { UsageRollups } from '../ledger/usage-rollups.js';

export interface LedgerDatabase {
  /** Ships what this instance has written so far (before a read, so the reader sees its own latest requests). */
  flush(): Promise<void>;
  /** Every instance's records in [from, to), oldest first. */
  records(range: { from?: string | undefined; to?: string | undefined }): AsyncGenerator<LedgerRecord>;
  /** Hour and day rollups of every instance's records, with every row committed before the call (the dashboard reads them). */
  sharedRollups(): Promise<UsageRollups>;
  /** A request any instance booked, by id (null when the table does not hold it). */
  request(id: string): Promise<LedgerRecord | null>;
  /** The latest feedback per request from every instance, arrived on or after `from`'s day. */
  latestFeedback(from?: string): Promise<Map<string, FeedbackRecord>>;
  /** Captured requests shipped from `captureDir` (this instance's capture files) and read across instances. */
  captures(captureDir: string): CaptureDatabase;
  close(): Promise<void>;
}

export interface LedgerDatabaseOptions {
  url: string;
  dir: string;
  log: Logger;
  registry: Registry;
  instance?: string;
  intervalMs?: number;
}

const PAGE = 5000;

interface Row {
  record: unknown;
  time: Date;
  id: string;
}

/** TOLLGATE_DATABASE_URL: migrations at start, the local ledger shipped in batches, usage read across instances. */
export async function openLedgerDatabase(options: LedgerDatabaseOptions): Promise<LedgerDatabase> {
  const pool = new pg.Pool({ connectionString: options.url, max: 4, connectionTimeoutMillis: 3000 });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (error) => options.log.warn({ error: error.message }, 'PostgreSQL connection lost'));
  // A database that is away at start does not stop the runtime: records wait in the local ledger, and migrating is retried.
  let migrated: Promise<void> | null = null;
  const ensureMigrated = (): Promise<void> =>
    (migrated ??= migrate(pool).then(
      () => undefined,
      (error: unknown) => {
        migrated = null;
        throw error;
      },
    ));
  await ensureMigrated().catch((error: Error) => options.log.warn({ error: error.message }, 'PostgreSQL not reachable at start; the ledger stays local until it is'));
  const instance = options.instance ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const shipper = new LedgerShipper({
    prepare: ensureMigrated,
    pool,
    dir: options.dir,
    instance,
    log: options.log,
    registry: options.registry,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  // Feedback lives beside the ledger and is shipped the same way, into its own table.
  const feedbackShipper = new LedgerShipper({
    prepare: ensureMigrated,
    pool,
    dir: options.dir,
    instance,
    log: options.log,
    registry: options.registry,
    kind: FEEDBACK_FILES,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  const shipAll = () => Promise.all([shipper.ship(), feedbackShipper.ship()]);
  void shipAll();
  const unavailable = (error: unknown) =>
    new HttpError({ status: 503, message: `The usage database (TOLLGATE_DATABASE_URL) is unavailable: ${(error as Error).message}`, type: 'server_error', code: 'usage_database_unavailable' });
  // Started by the first dashboard read, so an instance nobody asks does not tail the table.
  let rollups: DatabaseRollups | null = null;
  // One shipper per runtime: its metrics are registered once.
  let captureDb: CaptureDatabase | null = null;

  return {
    sharedRollups: async () => {
      try {
        await ensureMigrated();
        // This instance's latest records and feedback first, so its caller sees its own.
        await shipAll();
        rollups ??= new DatabaseRollups({ pool });
        return await rollups.current();
      } catch (error) {
        throw unavailable(error);
      }
    },
    flush: async () => {
      await shipAll();
    },
    request: async (id) => {
      await ensureMigrated();
      const { rows } = await pool.query<{ record: unknown }>('select record from tollgate_ledger where id = $1', [id]);
      const parsed = rows[0] ? LedgerRecordSchema.safeParse(rows[0].record) : null;
      return parsed?.success ? parsed.data : null;
    },
    latestFeedback: async (from) => {
      try {
        await ensureMigrated();
        await feedbackShipper.ship();
        return await latestFeedbackRows(pool, from);
      } catch (error) {
        throw unavailable(error);
      }
    },
    captures: (captureDir) => {
      if (captureDb) return captureDb;
      const captureShipper = new CaptureShipper({ pool, dir: captureDir, instance, log: options.log, registry: options.registry, prepare: ensureMigrated });
      return (captureDb = {
        ship: () => captureShipper.ship(),
        retain: (retention) => captureShipper.retain(retention),
        async *captured(query) {
          try {
            await ensureMigrated();
          } catch (error) {
            throw unavailable(error);
          }
          yield* capturedRows(pool, query);
        },
      });
    },
    async *records({ from, to }) {
      try {
        await ensureMigrated();
      } catch (error) {
        throw unavailable(error);
      }
      let after: { time: string; id: string } | null = null;
      for (;;) {
        const { rows }: pg.QueryResult<Row> = await pool.query<Row>(
          `select record, time, id from tollgate_ledger
           where ($1::timestamptz is null or time >= $1) and ($2::timestamptz is null or time < $2)
             and ($3::timestamptz is null or (time, id) > ($3, $4))
           order by time, id limit ${PAGE}`,
          [from ?? null, to ?? null, after?.time ?? null, after?.id ?? ''],
        );
        for (const row of rows) {
          const parsed = LedgerRecordSchema.safeParse(row.record);
          if (parsed.success) yield parsed.data;
        }
        if (rows.length < PAGE) return;
        const last: Row = rows[rows.length - 1]!;
        after = { time: last.time.toISOString(), id: last.id };
      }
    },
    close: async () => {
      rollups?.close();
      await shipper.close();
      await feedbackShipper.close();
      await pool.end();
    },
  };
}
