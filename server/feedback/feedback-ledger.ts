import fs from 'node:fs';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { utcDay } from '../ledger/ledger-files.js';
import { type FeedbackRecord, FeedbackRecordSchema } from './feedback-record.js';

const FILE = /^feedback-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export type FeedbackListener = (record: FeedbackRecord) => void;

/**
 * Feedback lives beside the usage ledger, one file per UTC day of its arrival, append-only like
 * the ledger (a request's record is never rewritten). Learners (router, cache) subscribe.
 */
export class FeedbackLedger {
  private readonly listeners: FeedbackListener[] = [];

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  subscribe(listener: FeedbackListener): void {
    this.listeners.push(listener);
  }

  /** Synchronous, so the caller's 200 means the line reached the kernel. */
  append(record: FeedbackRecord): void {
    fs.appendFileSync(path.join(this.dir, `feedback-${utcDay(record.time)}.jsonl`), `${JSON.stringify(record)}\n`);
    for (const listener of this.listeners) {
      // A learner's bug must not turn a booked feedback into an error for the caller.
      try {
        listener(record);
      } catch {
        /* the record is booked; learners catch up from the file */
      }
    }
  }

  /** The latest feedback per request among those that arrived on or after `from`'s day. */
  async latestByRequest(from?: string): Promise<Map<string, FeedbackRecord>> {
    const byRequest = new Map<string, FeedbackRecord>();
    for (const file of await feedbackFiles(this.dir, from)) {
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) {
        const parsed = parseFeedbackLine(line);
        if (parsed) byRequest.set(parsed.requestId, parsed);
      }
    }
    return byRequest;
  }
}

/** The feedback files of a ledger folder from `from`'s day on, oldest first. */
export async function feedbackFiles(dir: string, from?: string): Promise<string[]> {
  const first = from ? utcDay(from) : null;
  return (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => {
      const day = FILE.exec(name)?.[1];
      return day !== undefined && (first === null || day >= first);
    })
    .sort()
    .map((name) => path.join(dir, name));
}

export function parseFeedbackLine(line: string): FeedbackRecord | null {
  if (!line.trim()) return null;
  try {
    const parsed = FeedbackRecordSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
