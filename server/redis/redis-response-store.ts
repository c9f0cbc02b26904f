import type { ResponseStore } from '../responses/response-store.js';
import { STORED_ID, StoredResponseSchema, type StoredResponse } from '../responses/stored-response.js';
import type { SharedRedis } from './redis-connection.js';

export interface RedisResponseStoreOptions {
  redis: SharedRedis;
  /** This instance's own store: keeps every record too, and answers alone while Redis is away. */
  local: ResponseStore;
  /** Larger records stay on this instance only. */
  maxRecordBytes?: number;
  prefix?: string;
}

/**
 * Kept responses every instance reads, so a conversation's next turn may reach any of them: each
 * record is SET in Redis with its keep time as TTL, and in this instance's own store, before its
 * answer goes out. Redis is
 * read first; a deleted response leaves a marker there, so it is gone on every instance. While
 * Redis fails, the instance's own records answer (a conversation begun elsewhere is then not found).
 */
export function createRedisResponseStore(options: RedisResponseStoreOptions): ResponseStore {
  const { redis, local } = options;
  const prefix = options.prefix ?? 'tg:response:';
  const maxRecordBytes = options.maxRecordBytes ?? 8 * 1024 * 1024;

  async function fromShared(id: string, raw: string | null, owner: string): Promise<StoredResponse | null> {
    if (raw === DELETED) {
      await local.delete(id, owner);
      return null;
    }
    // Absent from Redis (too large for it, or written while it was away): this instance's own, if it has it.
    const record = raw ? parsed(raw) : null;
    if (!record) return local.get(id, owner);
    return record.owner === owner && record.id === id ? record : null;
  }

  return {
    get enabled() {
      return local.enabled;
    },
    keepMs: local.keepMs,

    put(record, extend = record.earlier) {
      const own = local.put(record, extend);
      if (!local.enabled) return own;
      const text = JSON.stringify(record);
      const ttlMs = record.expiresAt - Date.now();
      if (Buffer.byteLength(text) > maxRecordBytes || ttlMs <= 0) return own;
      // The earlier turns live at least as long as the newest: a conversation still going keeps its start.
      // GT (Redis 7): a turn continued from further back, a fork, never shortens what another branch extended.
      const pipeline = redis.client.pipeline().set(prefix + record.id, text, 'PX', ttlMs);
      const earlierTtlMs = Math.max(ttlMs, (record.earlierUntil ?? 0) - Date.now());
      for (const id of extend) pipeline.pexpire(prefix + id, earlierTtlMs, 'GT');
      // Waited for: the caller's next turn may reach another instance as soon as it has this answer.
      const shared = pipeline
        .exec()
        .then((results) => {
          const failed = results?.find(([error]) => error);
          if (failed) redis.failed('responses.put', 'local', failed[0]);
        })
        .catch((error: unknown) => redis.failed('responses.put', 'local', error));
      return own ? Promise.all([own, shared]).then(() => undefined) : shared;
    },

    async get(id, owner) {
      if (!local.enabled || !STORED_ID.test(id)) return null;
      let raw: string | null;
      try {
        raw = await redis.client.get(prefix + id);
      } catch (error) {
        redis.failed('responses.get', 'local', error);
        return local.get(id, owner);
      }
      return fromShared(id, raw, owner);
    },

    async getMany(ids, owner) {
      if (!local.enabled || ids.length === 0) return ids.map(() => null);
      let raws: (string | null)[];
      try {
        raws = await redis.client.mget(ids.map((id) => prefix + id));
      } catch (error) {
        redis.failed('responses.get', 'local', error);
        return local.getMany(ids, owner);
      }
      return Promise.all(ids.map((id, i) => (STORED_ID.test(id) ? fromShared(id, raws[i] ?? null, owner) : null)));
    },

    async delete(id, owner) {
      const found = await this.get(id, owner);
      await local.delete(id, owner);
      if (!found) return false;
      try {
        // Marked, not removed: another instance's own copy must not answer for it.
        await redis.client.set(prefix + id, DELETED, 'PX', Math.max(1, found.expiresAt - Date.now()));
      } catch (error) {
        redis.failed('responses.delete', 'local', error);
      }
      return true;
    },

    close: () => local.close(),
  };
}

const DELETED = 'deleted';

function parsed(raw: string): StoredResponse | null {
  try {
    const result = StoredResponseSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
