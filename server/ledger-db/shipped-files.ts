import { createHash } from 'node:crypto';
import type pg from 'pg';
import { feedbackFiles, parseFeedbackLine } from '../feedback/feedback-ledger.js';
import type { FeedbackRecord } from '../feedback/feedback-record.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { ledgerFiles, parseLine } from '../ledger/read-ledger.js';
import { CURSOR_FILE } from './ship-cursor.js';

/** A kind of append-only JSONL file in the ledger folder that is shipped to its own table. */
export interface ShippedFiles {
  /** In metric names and log lines. */
  name: 'ledger' | 'feedback';
  /** The folder's files of this kind, oldest first. */
  files(dir: string): Promise<string[]>;
  /** How far shipping got, beside the files. */
  cursorFile: string;
  /** Inserts the lines' rows (a line already there is skipped); how many lines were rows. */
  insert(options: { pool: pg.Pool; lines: string[]; instance: string }): Promise<number>;
}

export const LEDGER_FILES: ShippedFiles = {
  name: 'ledger',
  files: (dir) => ledgerFiles(dir),
  cursorFile: CURSOR_FILE,
  async insert({ pool, lines, instance }) {
    const records = lines.map(parseLine).filter((r): r is LedgerRecord => typeof r !== 'string');
    if (records.length === 0) return 0;
    await pool.query(
      `insert into tollgate_ledger (id, time, instance, record)
       select * from unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[])
       on conflict (id) do nothing`,
      [records.map((r) => r.id), records.map((r) => r.time), records.map(() => instance), records.map((r) => JSON.stringify(r))],
    );
    return records.length;
  },
};

export const FEEDBACK_FILES: ShippedFiles = {
  name: 'feedback',
  files: (dir) => feedbackFiles(dir),
  cursorFile: 'feedback-shipped-to-database.json',
  async insert({ pool, lines, instance }) {
    const rows = lines.map((line) => ({ line, record: parseFeedbackLine(line) })).filter((r): r is { line: string; record: FeedbackRecord } => r.record !== null);
    if (rows.length === 0) return 0;
    await pool.query(
      `insert into tollgate_feedback (id, request_id, time, instance, record)
       select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[])
       on conflict (id) do nothing`,
      [
        rows.map((r) => createHash('sha256').update(r.line).digest('hex').slice(0, 32)),
        rows.map((r) => r.record.requestId),
        rows.map((r) => r.record.time),
        rows.map(() => instance),
        rows.map((r) => JSON.stringify(r.record)),
      ],
    );
    return rows.length;
  },
};
