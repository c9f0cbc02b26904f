import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { Counter, type Registry } from 'prom-client';
import { z } from 'zod';
import { allCaptureFiles } from '../capture/capture-files.js';
import { type CapturedRequest, CapturedRequestSchema } from '../capture/captured-request.js';
import type { Logger } from '../log.js';
import { writeFileAtomic } from '../policies/atomic-write.js';

/** Bytes of each capture file already in the table, by its path under the capture folder. */
const CaptureCursorSchema = z.record(z.string(), z.number().int().min(0));
type CaptureCursor = z.infer<typeof CaptureCursorSchema>;

export const CAPTURE_CURSOR_FILE = 'shipped-to-database.json';
const BATCH = 500;

export interface CaptureShipperOptions {
  pool: pg.Pool;
  /** The local capture folder: its files are the write-ahead buffer. */
  dir: string;
  instance: string;
  log: Logger;
  registry: Registry;
  /** Runs before each ship (the migrations, until they have run once). */
  prepare?: () => Promise<void>;
}

/**
 * Copies the local capture files into `tollgate_capture`. A capture file is a run of gzip members
 * appended whole by the capture store, which calls this between its appends, so the bytes past
 * the cursor are complete members (a member torn by a crash ends what is read of that file, as
 * for a local backtest). Rows are keyed by the request id: a batch shipped twice is harmless, so
 * the cursor moves only after a file's new bytes are all in.
 */
export class CaptureShipper {
  private cursor: CaptureCursor | null = null;
  private lastError = 0;
  private readonly shipped: Counter;
  private readonly failures: Counter;

  constructor(private readonly options: CaptureShipperOptions) {
    this.shipped = new Counter({ name: 'tollgate_capture_shipped_total', help: 'Captured requests copied into PostgreSQL', registers: [options.registry] });
    this.failures = new Counter({ name: 'tollgate_capture_ship_failures_total', help: 'Capture shipments that failed (retried)', registers: [options.registry] });
  }

  /** Never rejects: false when the database is away (the files keep everything). */
  async ship(): Promise<boolean> {
    try {
      await this.options.prepare?.();
      const cursor = (this.cursor ??= await this.readCursor());
      const files = await allCaptureFiles(this.options.dir);
      const present = new Set<string>();
      for (const { file, bytes } of files) {
        const key = path.relative(this.options.dir, file);
        present.add(key);
        const from = cursor[key] ?? 0;
        if (bytes <= from) continue;
        await this.shipRange(file, from, bytes);
        cursor[key] = bytes;
        await this.writeCursor(cursor);
      }
      // Files deleted by retention leave the cursor.
      const gone = Object.keys(cursor).filter((key) => !present.has(key));
      for (const key of gone) delete cursor[key];
      if (gone.length > 0) await this.writeCursor(cursor);
      return true;
    } catch (error) {
      this.failures.inc();
      const now = Date.now();
      if (now - this.lastError > 10_000) this.options.log.warn({ error: (error as Error).message }, 'captured requests could not be shipped to PostgreSQL; the local capture keeps them and shipping retries');
      this.lastError = now;
      return false;
    }
  }

  async retain({ retentionDays, today }: { retentionDays: ReadonlyMap<string, number>; today: string }): Promise<void> {
    const todayMs = Date.parse(`${today}T00:00:00Z`);
    for (const [policy, days] of retentionDays) {
      const oldest = new Date(todayMs - (days - 1) * 86_400_000).toISOString();
      await this.options.pool.query('delete from tollgate_capture where policy = $1 and time < $2', [policy, oldest]);
    }
  }

  private async shipRange(file: string, start: number, end: number): Promise<void> {
    const lines = createInterface({ input: createReadStream(file, { start, end: end - 1 }).pipe(createGunzip()), crlfDelay: Infinity });
    let batch: CapturedRequest[] = [];
    try {
      for await (const line of lines) {
        const captured = parse(line);
        if (!captured) continue;
        batch.push(captured);
        if (batch.length >= BATCH) {
          await this.insert(batch);
          batch = [];
        }
      }
    } catch (error) {
      // A torn member (a crash mid-append): what came before it is good, the rest of it is lost.
      if (!String((error as NodeJS.ErrnoException).code).startsWith('Z_')) throw error;
    }
    await this.insert(batch);
  }

  private async insert(batch: CapturedRequest[]): Promise<void> {
    if (batch.length === 0) return;
    await this.options.pool.query(
      `insert into tollgate_capture (id, policy, time, instance, captured)
       select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[])
       on conflict (id) do nothing`,
      [batch.map((c) => c.id), batch.map((c) => c.policy), batch.map((c) => c.time), batch.map(() => this.options.instance), batch.map((c) => JSON.stringify(c))],
    );
    this.shipped.inc(batch.length);
  }

  private async readCursor(): Promise<CaptureCursor> {
    try {
      const parsed = CaptureCursorSchema.safeParse(JSON.parse(await readFile(path.join(this.options.dir, CAPTURE_CURSOR_FILE), 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  private async writeCursor(cursor: CaptureCursor): Promise<void> {
    await writeFileAtomic(path.join(this.options.dir, CAPTURE_CURSOR_FILE), JSON.stringify(cursor));
  }
}

function parse(line: string): CapturedRequest | null {
  if (!line) return null;
  try {
    const parsed = CapturedRequestSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
