import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { utcDay } from '../ledger/ledger-files.js';
import { policyCaptureFiles } from './capture-files.js';
import { type CapturedRequest, CapturedRequestSchema } from './captured-request.js';

export interface ReadCapturedOptions {
  captureDir: string;
  policy: string;
  /** Inclusive, on the record's time. */
  from: string;
  /** Exclusive. */
  to: string;
  /** Told about lines that are not captured requests and files cut short (a crash mid-append). */
  onSkip?: (file: string, reason: string) => void;
}

/** Streams one policy's captured requests in [from, to), file by file. */
export async function* readCaptured(options: ReadCapturedOptions): AsyncGenerator<CapturedRequest> {
  const fromMs = Date.parse(options.from);
  const toMs = Date.parse(options.to);
  const files = await policyCaptureFiles(options.captureDir, options.policy, utcDay(fromMs), utcDay(toMs - 1));
  for (const { file } of files) {
    const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line) continue;
        const captured = parse(line);
        if (!captured) {
          options.onSkip?.(file, 'not a captured request');
          continue;
        }
        const at = Date.parse(captured.time);
        if (at >= fromMs && at < toMs) yield captured;
      }
    } catch (error) {
      // A torn last gzip member: what came before it is good.
      options.onSkip?.(file, (error as Error).message);
    }
  }
}

function parse(line: string): CapturedRequest | null {
  try {
    const parsed = CapturedRequestSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
