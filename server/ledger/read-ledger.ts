import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { LedgerRecord } from './ledger-record.js';
import { LedgerRecordSchema } from './ledger-record.js';
import { dayOfLedgerFile, utcDay } from './ledger-files.js';

export interface ReadLedgerOptions {
  /** Inclusive lower bound on a record's time. */
  from?: Date | string;
  /** Exclusive upper bound on a record's time. */
  to?: Date | string;
  /** Told about each line that is not a record (a torn last line after a crash); the default warns on stderr. */
  onSkip?: (skip: SkippedLine) => void;
}

export interface SkippedLine {
  file: string;
  line: number;
  reason: string;
}

function warnOnStderr(skip: SkippedLine): void {
  process.emitWarning(`skipped ledger line ${skip.file}:${skip.line}: ${skip.reason}`, 'LedgerWarning');
}

/** Ledger files whose day overlaps [from, to), oldest first. */
export async function ledgerFiles(dir: string, from?: Date | string, to?: Date | string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const first = from === undefined ? null : utcDay(from);
  const last = to === undefined ? null : utcDay(new Date(new Date(to).getTime() - 1));
  return names
    .map((name) => ({ name, day: dayOfLedgerFile(name) }))
    .filter((f): f is { name: string; day: string } => f.day !== null && (first === null || f.day >= first) && (last === null || f.day <= last))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    .map((f) => path.join(dir, f.name));
}

/** Streams the records of the ledger in `dir`, file by file, skipping (and reporting) lines that are not records. */
export async function* readLedger(dir: string, options: ReadLedgerOptions = {}): AsyncGenerator<LedgerRecord> {
  const fromMs = options.from === undefined ? -Infinity : new Date(options.from).getTime();
  const toMs = options.to === undefined ? Infinity : new Date(options.to).getTime();
  const onSkip = options.onSkip ?? warnOnStderr;
  for (const file of await ledgerFiles(dir, options.from, options.to)) {
    for await (const record of readLedgerFile(file, onSkip)) {
      const at = Date.parse(record.time);
      if (at >= fromMs && at < toMs) yield record;
    }
  }
}

async function* readLedgerFile(file: string, onSkip: (skip: SkippedLine) => void): AsyncGenerator<LedgerRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (typeof record === 'string') onSkip({ file, line: number, reason: record });
    else yield record;
  }
}

/** A record, or why the line is not one. */
export function parseLine(line: string): LedgerRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return 'not JSON (a torn write?)';
  }
  const parsed = LedgerRecordSchema.safeParse(json);
  return parsed.success ? parsed.data : `not a ledger record: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`;
}
