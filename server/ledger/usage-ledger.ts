import fs from 'node:fs';
import path from 'node:path';
import type { LedgerRecord } from './ledger-record.js';
import { ledgerFileName, utcDay } from './ledger-files.js';

/** The two pino methods the ledger uses; a pino Logger fits. */
export interface LedgerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LedgerOptions {
  /** fsync the open file this often, for power-loss durability; 0 leaves it to the OS (a process crash loses nothing either way). */
  fsyncIntervalMs?: number;
  log?: LedgerLog;
}

export interface LedgerStats {
  appended: number;
  /** Records that could not be written (full disk, permissions...); each was still answered. */
  failed: number;
  bytes: number;
}

const silent: LedgerLog = { warn: () => {}, error: () => {} };

/**
 * The append-only usage ledger: `<dir>/usage-YYYY-MM-DD.jsonl`, one file per UTC day.
 *
 * `append` is one synchronous `write(2)` on an O_APPEND descriptor: once it returns, the line is
 * in the kernel's page cache and survives the process being killed, at a cost of a few µs and no
 * disk wait. Power-loss durability comes from a periodic fsync off the event loop. Callers append
 * before sending the last byte of their answer, so an acknowledged request is always booked.
 */
export class UsageLedger {
  private fd: number | null = null;
  private day = '';
  /** The file may end in a torn line (a crash or a failed write): the next line starts with a newline. */
  private needsNewline = false;
  private dirty = false;
  private readonly timer: NodeJS.Timeout | null;
  private readonly loggedErrors = new Set<string>();
  private readonly counters: LedgerStats = { appended: 0, failed: 0, bytes: 0 };
  private readonly log: LedgerLog;

  constructor(
    readonly dir: string,
    options: LedgerOptions = {},
  ) {
    this.log = options.log ?? silent;
    fs.mkdirSync(dir, { recursive: true });
    const every = options.fsyncIntervalMs ?? 0;
    this.timer = every > 0 ? setInterval(() => this.syncInBackground(), every).unref() : null;
  }

  get stats(): LedgerStats {
    return { ...this.counters };
  }

  /** Writes one record; never throws. False when the write failed (logged once per kind of error). */
  append(record: LedgerRecord): boolean {
    return this.write(utcDay(record.time), [JSON.stringify(record)], record.id);
  }

  /**
   * Group commit: the record joins the records of every answer finishing in this turn of the
   * event loop, they are written with one write(2) when the turn's I/O is done, and only then
   * does each `then` send its answer. An answer therefore never leaves before its record is in
   * the kernel, and a busy runtime makes one system call for many requests.
   */
  appendThen(record: LedgerRecord, then: () => void): void {
    this.pending.push(record);
    this.waiting.push(then);
    if (this.pending.length === 1) setImmediate(this.flushPending);
  }

  private readonly pending: LedgerRecord[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly flushPending = (): void => {
    const records = this.pending.splice(0);
    const waiting = this.waiting.splice(0);
    let start = 0;
    // A batch may straddle midnight: each day's records go to that day's file.
    while (start < records.length) {
      const day = utcDay(records[start]!.time);
      let end = start + 1;
      while (end < records.length && utcDay(records[end]!.time) === day) end++;
      this.write(day, records.slice(start, end).map((r) => JSON.stringify(r)), records[start]!.id);
      start = end;
    }
    for (const then of waiting) {
      try {
        then();
      } catch (error) {
        this.log.error({ err: error }, 'sending an answer after its ledger write failed');
      }
    }
  };

  private write(day: string, lines: string[], firstId: string): boolean {
    try {
      const fd = this.fileFor(day);
      const data = Buffer.from((this.needsNewline ? '\n' : '') + lines.join('\n') + '\n');
      this.needsNewline = true;
      writeFully(fd, data);
      this.needsNewline = false;
      this.dirty = true;
      this.counters.appended += lines.length;
      this.counters.bytes += data.length;
      return true;
    } catch (error) {
      this.counters.failed += lines.length;
      this.logOnce(error as NodeJS.ErrnoException, firstId);
      return false;
    }
  }

  /** fsync now (tests, shutdown); never throws. */
  sync(): void {
    if (this.fd === null || !this.dirty) return;
    try {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    } catch (error) {
      this.logOnce(error as NodeJS.ErrnoException, null);
    }
  }

  close(): void {
    if (this.pending.length > 0) this.flushPending();
    if (this.timer) clearInterval(this.timer);
    this.sync();
    if (this.fd !== null) closeQuietly(this.fd);
    this.fd = null;
    this.day = '';
  }

  /** `a+`: appends stay atomic (O_APPEND) and the last byte can be read to spot a torn line. */
  private fileFor(day: string): number {
    if (this.fd !== null && day === this.day) return this.fd;
    if (this.fd !== null) this.retire(this.fd);
    this.fd = null;
    const fd = fs.openSync(path.join(this.dir, ledgerFileName(day)), 'a+');
    this.needsNewline = endsTorn(fd);
    this.fd = fd;
    this.day = day;
    return fd;
  }

  /** The old day's file is synced and closed off the event loop; a late record for that day reopens it. */
  private retire(fd: number): void {
    fs.fsync(fd, () => fs.close(fd, () => {}));
  }

  private syncInBackground(): void {
    if (this.fd === null || !this.dirty) return;
    this.dirty = false;
    fs.fsync(this.fd, (error) => {
      if (error && error.code !== 'EBADF') this.logOnce(error, null);
    });
  }

  private logOnce(error: NodeJS.ErrnoException, id: string | null): void {
    const code = error.code ?? error.name;
    if (this.loggedErrors.has(code)) return;
    this.loggedErrors.add(code);
    this.log.error({ err: error, code, dir: this.dir, record: id }, 'usage ledger write failed; requests are still answered, failures are counted');
  }
}

function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

function endsTorn(fd: number): boolean {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed or the disk went away: nothing left to save.
  }
}
