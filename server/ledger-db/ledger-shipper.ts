import { open } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../log.js';
import { readCursor, writeCursor, type ShipCursor } from './ship-cursor.js';
import { LEDGER_FILES, type ShippedFiles } from './shipped-files.js';

export interface LedgerShipperOptions {
  pool: pg.Pool;
  /** The local ledger folder: its JSONL files are the write-ahead buffer. */
  dir: string;
  /** Names this instance in the rows it ships. */
  instance: string;
  log: Logger;
  registry: Registry;
  intervalMs?: number;
  /** Most bytes read from a file per batch (about 2,000 records). */
  chunkBytes?: number;
  /** Runs before each ship (the migrations, until they have run once). */
  prepare?: () => Promise<void>;
  /** Which files of the folder it ships, and into which table (default: the ledger's). */
  kind?: ShippedFiles;
}

/**
 * Ships the local ledger (or the feedback beside it) into PostgreSQL in batches. The JSONL files
 * stay the write-ahead log: a request is acknowledged once its line is written locally, and the
 * shipper copies complete lines past the cursor, inserts them (a row's key comes from the line, so
 * a batch shipped twice after a crash is harmless), and only then moves the cursor. A database
 * that is away is retried next tick.
 */
export class LedgerShipper {
  private readonly options: LedgerShipperOptions;
  private readonly timer: NodeJS.Timeout;
  private queue: Promise<number> = Promise.resolve(0);
  private cursor: ShipCursor | null | undefined;
  private lastError = 0;
  private readonly shipped: Counter;
  private readonly failures: Counter;
  private readonly kind: ShippedFiles;

  constructor(options: LedgerShipperOptions) {
    this.options = options;
    this.kind = options.kind ?? LEDGER_FILES;
    const name = this.kind.name;
    this.shipped = new Counter({ name: `tollgate_${name}_shipped_total`, help: `${name === 'ledger' ? 'Ledger' : 'Feedback'} records copied into PostgreSQL`, registers: [options.registry] });
    this.failures = new Counter({ name: `tollgate_${name}_ship_failures_total`, help: `${name === 'ledger' ? 'Ledger' : 'Feedback'} batches that could not be shipped to PostgreSQL (retried)`, registers: [options.registry] });
    this.timer = setInterval(() => void this.ship(), options.intervalMs ?? 1000).unref();
  }

  /** Ships everything written so far; resolves with the records shipped (never rejects). One ship at a time. */
  ship(): Promise<number> {
    this.queue = this.queue.then(() => this.shipAll());
    return this.queue;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.ship();
  }

  private async shipAll(): Promise<number> {
    try {
      await this.options.prepare?.();
      let total = 0;
      for (;;) {
        const n = await this.shipChunk();
        if (n === null) return total;
        total += n;
      }
    } catch (error) {
      this.failures.inc();
      const now = Date.now();
      if (now - this.lastError > 10_000) this.options.log.warn({ error: (error as Error).message }, `${this.kind.name} shipping to PostgreSQL failed; the local files keep every record and shipping retries`);
      this.lastError = now;
      return 0;
    }
  }

  /** Ships one chunk past the cursor: the records shipped, or null when there is nothing left. */
  private async shipChunk(): Promise<number | null> {
    const { dir } = this.options;
    if (this.cursor === undefined) this.cursor = await readCursor(dir, this.kind.cursorFile);
    const files = (await this.kind.files(dir)).map((f) => path.basename(f));
    const at = this.cursor;
    const index = at ? files.indexOf(at.file) : 0;
    // A cursor naming a file that is gone (pruned by hand) starts over at the oldest: ids keep that safe.
    const position = at && index >= 0 ? { i: index, offset: at.offset } : { i: 0, offset: 0 };
    const file = files[position.i];
    if (!file) return null;
    const { lines, consumed, atEnd } = await this.readComplete(path.join(dir, file), position.offset);
    const isLast = position.i === files.length - 1;
    if (lines.length === 0 && consumed === 0) {
      // An older day's file ends here (a torn last line there never completes): go on to the next day.
      if (isLast || !atEnd) return null;
      await this.move({ file: files[position.i + 1]!, offset: 0 });
      return 0;
    }
    const shipped = await this.kind.insert({ pool: this.options.pool, lines, instance: this.options.instance });
    await this.move({ file, offset: position.offset + consumed });
    this.shipped.inc(shipped);
    return shipped;
  }

  private async move(cursor: ShipCursor): Promise<void> {
    await writeCursor(this.options.dir, cursor, this.kind.cursorFile);
    this.cursor = cursor;
  }

  /** Complete lines from `offset`, at most chunkBytes of them, and how many bytes they span. */
  private async readComplete(file: string, offset: number): Promise<{ lines: string[]; consumed: number; atEnd: boolean }> {
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      const length = Math.min(size - offset, this.options.chunkBytes ?? 1024 * 1024);
      if (length <= 0) return { lines: [], consumed: 0, atEnd: true };
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (end < 0) return { lines: [], consumed: 0, atEnd: offset + bytesRead >= size };
      const text = buffer.subarray(0, end + 1).toString('utf8');
      return { lines: text.split('\n').filter((l) => l.trim() !== ''), consumed: end + 1, atEnd: false };
    } finally {
      await handle.close();
    }
  }
}
