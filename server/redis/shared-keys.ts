import { StoredKeySchema, type KeyStore, type StoredKey } from '../keys/key-store.js';
import type { Logger } from '../log.js';
import type { StateBus } from './state-bus.js';

/** Every key record (its HMAC hash, never the secret), by id: an instance that starts later, or was away, reads them here. */
const RECORDS = 'tg:keys:records';
/** Ids of revoked keys, kept as before so an instance that only knows this set still forgets them. */
const REVOKED = 'tg:keys:revoked';
/** What every instance's secret hashes a fixed text to: a different answer means its keys cannot verify elsewhere. */
const SECRET_CHECK = 'tg:keys:secret-check';

export interface ShareKeysOptions {
  bus: StateBus;
  keys: KeyStore;
  log: Logger;
}

function parseRecord(value: unknown): StoredKey | null {
  try {
    const parsed = StoredKeySchema.safeParse(typeof value === 'string' ? JSON.parse(value) : value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A service key issued on one instance works on every instance, and one revoked on any stops
 * working on all at once. The request path keeps its synchronous local check: records travel
 * over the state bus and are kept in Redis; keys.json stays each instance's local copy.
 * Instances must share TOLLGATE_KEY_SECRET (the HMAC secret) for a record to verify elsewhere.
 */
export function shareKeys({ bus, keys, log }: ShareKeysOptions): Promise<void> {
  const redis = bus.client;
  const adopt = (record: StoredKey) => keys.adopt(record).catch((error) => log.error({ key: record.id, error: (error as Error).message }, 'a service key from another instance could not be written to keys.json'));

  keys.onCreate = (record) => {
    redis.client.hset(RECORDS, record.id, JSON.stringify(record)).catch((error) => redis.failed('keys.create', 'local', error));
    bus.publish('key', { record });
  };
  keys.onRevoke = (record) => {
    redis.client
      .multi()
      .hset(RECORDS, record.id, JSON.stringify(record))
      .sadd(REVOKED, record.id)
      .exec()
      .catch((error) => redis.failed('keys.revoke', 'local', error));
    bus.publish('revoke', { id: record.id, record });
  };
  bus.on('key', (payload) => {
    const record = parseRecord(payload.record);
    if (record) void adopt(record);
  });
  bus.on('revoke', (payload) => {
    // Refused at once; the record then marks it revoked in keys.json.
    if (typeof payload.id === 'string') keys.forget(payload.id);
    const record = parseRecord(payload.record);
    if (record) void adopt(record);
  });

  /** Takes what the others issued and revoked, then shares what was issued or revoked here while Redis was away. */
  const catchUp = async () => {
    try {
      const [stored, revoked] = await Promise.all([redis.client.hgetall(RECORDS), redis.client.smembers(REVOKED)]);
      for (const id of revoked) keys.forget(id);
      const now = new Date().toISOString();
      const local = new Map(keys.list().map((k) => [k.id, k]));
      for (const id of revoked) {
        const known = local.get(id);
        if (known && !known.revokedAt) await adopt({ ...known, revokedAt: now });
      }
      for (const value of Object.values(stored)) {
        const record = parseRecord(value);
        if (record) await adopt(record);
      }
      const missing = keys.list().filter((k) => {
        const there = stored[k.id] === undefined ? null : parseRecord(stored[k.id]);
        return !there || (k.revokedAt && !there.revokedAt);
      });
      if (missing.length === 0) return;
      const push = redis.client.multi();
      for (const record of missing) {
        push.hset(RECORDS, record.id, JSON.stringify(record));
        if (record.revokedAt) push.sadd(REVOKED, record.id);
      }
      await push.exec();
      for (const record of missing) bus.publish(record.revokedAt ? 'revoke' : 'key', record.revokedAt ? { id: record.id, record } : { record });
    } catch (error) {
      redis.failed('keys.catch-up', 'local', error);
    }
  };
  const checkSecret = async () => {
    try {
      await redis.client.set(SECRET_CHECK, keys.secretCheck, 'NX');
      if ((await redis.client.get(SECRET_CHECK)) !== keys.secretCheck) {
        log.error('this instance hashes service keys with another secret than the first instance on this Redis: keys issued elsewhere are refused here; give every instance the same TOLLGATE_KEY_SECRET');
      }
    } catch (error) {
      redis.failed('keys.secret-check', 'local', error);
    }
  };
  bus.onConnect(() => void checkSecret().then(catchUp));
  // Awaited at start, so a new instance knows every key before it serves (neither step throws).
  return checkSecret().then(catchUp);
}
