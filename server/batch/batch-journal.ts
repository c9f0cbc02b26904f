import fs from 'node:fs';
import path from 'node:path';
import { compactJournal, JournalEntrySchema, type JournalEntry } from './batch-job.js';

/**
 * The batch lane's append-only journal: one JSON line per event, written with one synchronous
 * write(2) on an O_APPEND descriptor before the caller hears "queued", so a job once accepted
 * survives the process being killed. A torn last line (a crash mid-write) is skipped on replay.
 */
export class BatchJournal {
  private readonly fd: number;
  private closed = false;

  private constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /**
   * Opens (or creates) the journal and reads back its entries. With `retention`, finished jobs
   * older than it are dropped and the file rewritten (temp file, fsync, rename), so it does not
   * grow without end.
   */
  static open(dir: string, retention?: { now: number; keepMs: number }): { journal: BatchJournal; entries: JournalEntry[]; skipped: number } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'journal.jsonl');
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const entries: JournalEntry[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const parsed = safeJson(line);
      const entry = JournalEntrySchema.safeParse(parsed);
      if (entry.success) entries.push(entry.data);
      else skipped++;
    }
    const kept = retention ? compactJournal(entries, retention) : entries;
    if (kept.length < entries.length) {
      rewrite(file, kept);
      return { journal: new BatchJournal(file), entries: kept, skipped };
    }
    const journal = new BatchJournal(file);
    // A torn last line would swallow the next entry: start it on a line of its own.
    if (text.length > 0 && !text.endsWith('\n')) fs.writeSync(journal.fd, '\n');
    return { journal, entries, skipped };
  }

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    if (this.closed) throw new Error(`the batch journal ${this.file} is closed`);
    const data = Buffer.from(entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(this.fd, data, offset, data.length - offset);
  }

  /** Idempotent: a runtime closed twice (a test, a signal during shutdown) must not close a descriptor some other file now owns. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

function rewrite(file: string, entries: JournalEntry[]): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
