import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { LocalResponseCache } from '../cache/response-cache.js';
import type { SharedRedis } from './redis-connection.js';
import { RedisScript } from './redis-script.js';
import type { StateBus } from './state-bus.js';

/** What another instance's verifier needs to match a stored question; the answer itself is under the exact key. */
export const SemanticRecordSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  partition: z.string().regex(/^[0-9a-f]{64}$/),
  text: z.string(),
  storedAt: z.number(),
  expiresAt: z.number(),
});
export type SemanticRecord = z.infer<typeof SemanticRecordSchema>;

const OutcomeSchema = z.object({ key: z.string(), score: z.number(), correct: z.boolean() });
const StoredOutcomeSchema = OutcomeSchema.pick({ score: true, correct: true });
/** Verdicts kept per entry in Redis, newest last: more than an entry weighs (semantic-index.ts keeps 16). */
const MAX_STORED_OUTCOMES = 64;

/** Newest entries a partition's list keeps in Redis, and so the most a catch-up reads for one partition. */
const MAX_PER_PARTITION = 1000;
/** Partitions this instance remembers having caught up on since it (re)connected. */
const MAX_SYNCED_PARTITIONS = 10_000;
/** Keys read per MGET during a catch-up. */
const MGET_CHUNK = 200;

/**
 * One semantic store, atomically: the answer (exact key), the question record, and the record's
 * place in its partition's list (a sorted set by expiry, trimmed of expired and of all but the
 * newest MAX_PER_PARTITION), which lives as long as its longest-lived entry.
 *
 * KEYS: answer, record, partition set. ARGV: answer JSON, record JSON, ttl ms, expiresAt, now, max per partition.
 */
const STORE_SCRIPT = new RedisScript(`
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), KEYS[2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[5]))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -1 - tonumber(ARGV[6]))
if redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
return 1
`);

/**
 * One verdict on an entry, kept beside its record for as long as the record lives, so an instance
 * that adopts the entry later starts from the verdicts given so far. None once the record is gone.
 *
 * KEYS: outcomes list, record. ARGV: outcome JSON, most kept.
 */
const OUTCOME_SCRIPT = new RedisScript(`
local ttl = redis.call('PTTL', KEYS[2])
if ttl <= 0 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ttl)
return 1
`);

export interface SharedSemanticOptions {
  redis: SharedRedis;
  local: LocalResponseCache;
  prefix?: string;
}

/**
 * Semantic cache entries shared by every instance. A store writes the question's record to Redis
 * and announces it on the state bus; every other instance adds the question to its own semantic
 * index (in its hot tier's byte budget) and fetches the answer from Redis on a hit, so the pair
 * verifier and the wrong-hit bound run where the request is answered, as for its own entries.
 * An instance that starts late or reconnects catches up per partition, on its first lookup
 * there, from that partition's bounded list. Verdicts on hits travel too, so an entry's own
 * threshold moves on every instance that holds it, and are kept beside the record for the
 * instances that adopt it later. With Redis away all of this is skipped
 * (metered): each instance serves from what it holds.
 */
export class SharedSemanticEntries {
  private readonly prefix: string;
  private readonly synced = new LRUCache<string, true>({ max: MAX_SYNCED_PARTITIONS });
  private readonly catchingUp = new Map<string, Promise<void>>();
  private bus: StateBus | null = null;

  constructor(private readonly options: SharedSemanticOptions) {
    this.prefix = options.prefix ?? 'tg:semcache:';
  }

  /** Announcements go out, and are taken in, once the state bus runs (it starts after the cache). */
  attach(bus: StateBus): void {
    this.bus = bus;
    bus.on('semantic', (payload) => {
      const record = SemanticRecordSchema.safeParse(payload);
      if (record.success) this.options.local.adopt(record.data);
    });
    bus.on('semantic-outcome', (payload) => {
      const outcome = OutcomeSchema.safeParse(payload);
      if (outcome.success) this.options.local.recordEntryOutcome(outcome.data.key, outcome.data.score, outcome.data.correct);
    });
    // Announcements sent while this instance was away were missed: read each partition's list again.
    bus.onConnect(() => this.synced.clear());
  }

  /** Writes the answer (under `answerKey`) and the question record, then announces the record. */
  store(options: { answerKey: string; answer: string; record: SemanticRecord; ttlMs: number }): void {
    const { redis } = this.options;
    const { record } = options;
    const recordJson = JSON.stringify(record);
    STORE_SCRIPT.run(
      redis.client,
      [options.answerKey, this.recordKey(record.key), this.partitionKey(record.partition)],
      [options.answer, recordJson, options.ttlMs, record.expiresAt, Date.now(), MAX_PER_PARTITION],
    ).then(
      () => this.bus?.publish('semantic', record),
      (error) => redis.failed('cache.semantic-store', 'open', error),
    );
  }

  /** Tells the other instances how a hit on this entry was judged, and keeps the verdict for those that adopt the entry later. */
  shareOutcome(key: string, score: number, correct: boolean): void {
    const { redis } = this.options;
    OUTCOME_SCRIPT.run(redis.client, [this.outcomesKey(key), this.recordKey(key)], [JSON.stringify({ score, correct }), MAX_STORED_OUTCOMES]).catch((error) =>
      redis.failed('cache.semantic-outcome', 'open', error),
    );
    this.bus?.publish('semantic-outcome', { key, score, correct });
  }

  /** Resolves once this partition's shared entries are in the local index (at once if they already are, or Redis is away). Never rejects. */
  catchUp(partition: string): Promise<void> {
    if (this.synced.has(partition) || !this.options.redis.connected) return Promise.resolve();
    let running = this.catchingUp.get(partition);
    if (!running) {
      running = this.read(partition).finally(() => this.catchingUp.delete(partition));
      this.catchingUp.set(partition, running);
    }
    return running;
  }

  private async read(partition: string): Promise<void> {
    const { redis, local } = this.options;
    try {
      const now = Date.now();
      const keys = await redis.client.zrevrangebyscore(this.partitionKey(partition), '+inf', now, 'LIMIT', 0, MAX_PER_PARTITION);
      for (let i = 0; i < keys.length; i += MGET_CHUNK) {
        const raws = await redis.client.mget(keys.slice(i, i + MGET_CHUNK));
        const adopted: string[] = [];
        for (const raw of raws) {
          const record = raw ? SemanticRecordSchema.safeParse(safeJson(raw)) : null;
          if (record?.success && record.data.partition === partition) {
            local.adopt(record.data);
            adopted.push(record.data.key);
          }
        }
        await this.restoreOutcomes(adopted);
      }
      this.synced.set(partition, true);
    } catch (error) {
      redis.failed('cache.semantic-catch-up', 'open', error);
    }
  }

  /** The verdicts given anywhere on these entries, for those this instance has none on (an entry adopted late). */
  private async restoreOutcomes(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const pipeline = this.options.redis.client.pipeline();
    for (const key of keys) pipeline.lrange(this.outcomesKey(key), 0, -1);
    const results = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [error, raws] = results[i] ?? [null, []];
      if (error || !Array.isArray(raws) || raws.length === 0) return;
      const outcomes = raws.map((raw) => StoredOutcomeSchema.safeParse(safeJson(String(raw)))).flatMap((o) => (o.success ? [o.data] : []));
      this.options.local.restoreEntryOutcomes(key, outcomes);
    });
  }

  private outcomesKey(key: string): string {
    return `${this.prefix}o:${key}`;
  }

  private recordKey(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  private partitionKey(partition: string): string {
    return `${this.prefix}p:${partition}`;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
