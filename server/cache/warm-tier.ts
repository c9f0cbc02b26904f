import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Bumped when the file layout changes; files of another version are ignored and removed. */
const FILE_VERSION = 1;

export const WarmRecordSchema = z.object({
  v: z.literal(FILE_VERSION),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  expiresAt: z.number(),
  answer: z.object({
    body: z.record(z.string(), z.unknown()),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }).nullable(),
    model: z.string(),
    storedAt: z.number(),
  }),
  semantic: z.object({ partition: z.string(), text: z.string() }).nullable(),
});
export type WarmRecord = z.infer<typeof WarmRecordSchema>;

export interface WarmTierOptions {
  dir: string;
  maxBytes: number;
  now: () => number;
  /** Called for each entry dropped from disk (evicted or expired), so indexes can forget it. */
  onDrop: (key: string) => void;
}

/**
 * The cache's warm tier: one small JSON file per answer under the data dir, bounded in bytes and
 * evicted least recently used first. Only the index (key, size) is held in memory; the runtime
 * reads a body back when the hot tier no longer has it. Files are written synchronously: an
 * answer is a few KB, and a store happens after the answer was sent.
 */
export class WarmTier {
  /** Key → file size, least recently used first (a Map keeps insertion order; a use re-inserts). */
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  private constructor(private readonly options: WarmTierOptions) {}

  /** Opens (creating) the directory and indexes what a previous run left; returns the live records for the caller to index. */
  static open(options: WarmTierOptions): { tier: WarmTier; records: WarmRecord[] } {
    mkdirSync(options.dir, { recursive: true });
    const tier = new WarmTier(options);
    const records: WarmRecord[] = [];
    for (const name of readdirSync(options.dir)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(options.dir, name);
      const record = tier.parse(file);
      if (!record || record.expiresAt <= options.now()) {
        rmSync(file, { force: true });
        continue;
      }
      records.push(record);
    }
    // Oldest first, so the least recently stored is the first evicted after a restart.
    records.sort((a, b) => a.answer.storedAt - b.answer.storedAt);
    for (const record of records) {
      const size = Buffer.byteLength(JSON.stringify(record));
      tier.sizes.set(record.key, size);
      tier.bytes += size;
    }
    tier.evict();
    return { tier, records: records.filter((r) => tier.sizes.has(r.key)) };
  }

  get size(): number {
    return this.sizes.size;
  }

  get calculatedBytes(): number {
    return this.bytes;
  }

  has(key: string): boolean {
    return this.sizes.has(key);
  }

  write(record: WarmRecord): void {
    const text = JSON.stringify(record);
    const size = Buffer.byteLength(text);
    if (size > this.options.maxBytes) return;
    writeFileSync(this.file(record.key), text);
    this.forget(record.key);
    this.sizes.set(record.key, size);
    this.bytes += size;
    this.evict();
  }

  /** The record, marked as just used, or null if absent, expired or unreadable. */
  read(key: string): WarmRecord | null {
    if (!this.sizes.has(key)) return null;
    const record = this.parse(this.file(key));
    if (!record || record.expiresAt <= this.options.now()) {
      this.delete(key);
      return null;
    }
    const size = this.sizes.get(key)!;
    this.sizes.delete(key);
    this.sizes.set(key, size);
    return record;
  }

  delete(key: string): void {
    if (!this.sizes.has(key)) return;
    this.forget(key);
    rmSync(this.file(key), { force: true });
    this.options.onDrop(key);
  }

  clear(): void {
    for (const key of [...this.sizes.keys()]) this.delete(key);
  }

  private forget(key: string): void {
    const size = this.sizes.get(key);
    if (size === undefined) return;
    this.sizes.delete(key);
    this.bytes -= size;
  }

  private evict(): void {
    for (const key of this.sizes.keys()) {
      if (this.bytes <= this.options.maxBytes) break;
      this.delete(key);
    }
  }

  private file(key: string): string {
    return path.join(this.options.dir, `${key}.json`);
  }

  private parse(file: string): WarmRecord | null {
    try {
      const parsed = WarmRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
