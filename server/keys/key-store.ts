import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { z } from 'zod';
import { hashKey, KEY_PATTERN, newKeyId, newKeySecret } from './key-token.js';
import { retrySharedWrite } from '../runtime/retry-shared-write.js';
import { loadKeySecret } from './key-secret.js';

export const StoredKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** HMAC-SHA256 of the secret (see key-token.ts); the secret itself is never written. */
  hash: z.string(),
  tags: z.record(z.string(), z.string()),
  policy: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type StoredKey = z.infer<typeof StoredKeySchema>;

const KeysFileSchema = z.object({ keys: z.array(StoredKeySchema) });
type KeysFile = z.infer<typeof KeysFileSchema>;

/** Verified tokens kept so a busy service pays the HMAC once, not per request; emptied on revoke. */
const VERIFIED_CACHE = 10_000;

export interface NewKey {
  name: string;
  tags: Record<string, string>;
  policy: string | null;
}

/**
 * Service keys in `<dataDir>/keys.json` (lowdb: temp file and rename). Checking a key is a
 * synchronous HMAC and one Map lookup on the request path (a Map lookup alone once seen); revoked keys stay in the file (so
 * ledger ids keep a name, and revoking the last key does not open /v1 again) but leave the map.
 */
export class KeyStore {
  private readonly active = new Map<string, StoredKey>();
  private readonly verified = new Map<string, StoredKey>();

  private constructor(
    private readonly db: Low<KeysFile>,
    private readonly secret: Buffer,
  ) {
    for (const key of db.data.keys) if (!key.revokedAt) this.active.set(key.hash, key);
  }

  // Not JSONFilePreset: it silently keeps data in memory whenever NODE_ENV is "test".
  static async open(dataDir: string, env: Record<string, string | undefined>): Promise<KeyStore> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'keys.json');
    const db = new Low<KeysFile>(new JSONFile(file), { keys: [] });
    await db.read();
    const parsed = KeysFileSchema.safeParse(db.data ?? { keys: [] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    db.data = parsed.data;
    return new KeyStore(db, await loadKeySecret(dataDir, env));
  }

  /** True once any key was ever issued, revoked ones included. */
  get anyIssued(): boolean {
    return this.db.data.keys.length > 0;
  }

  list(): StoredKey[] {
    return this.db.data.keys.map((k) => ({ ...k, tags: { ...k.tags } }));
  }

  /** The live key a bearer token names, or null. Sync and allocation-light: it runs on every /v1 request. */
  verify(token: string): StoredKey | null {
    const known = this.verified.get(token);
    if (known) return known;
    if (!KEY_PATTERN.test(token)) return null;
    const key = this.active.get(hashKey(this.secret, token));
    if (!key) return null;
    if (this.verified.size >= VERIFIED_CACHE) this.verified.clear();
    this.verified.set(token, key);
    return key;
  }

  async create(input: NewKey): Promise<{ record: StoredKey; key: string }> {
    const key = newKeySecret();
    const record: StoredKey = {
      id: newKeyId(),
      name: input.name,
      hash: hashKey(this.secret, key),
      tags: { ...input.tags },
      policy: input.policy,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    this.db.data.keys.push(record);
    await retrySharedWrite(() => this.db.write());
    this.active.set(record.hash, record);
    this.onCreate?.({ ...record, tags: { ...record.tags } });
    return { record, key };
  }

  /** Told of each key issued here; with Redis, the other instances adopt its record (the hash, never the secret). */
  onCreate: ((record: StoredKey) => void) | null = null;

  /** Told of each revocation here; with Redis, the other instances forget the key too. */
  onRevoke: ((record: StoredKey) => void) | null = null;

  /**
   * A key record from another instance: a new key works here at once and joins keys.json (the
   * local copy); a revoked one stops working. Records only ever gain a revocation, so merging is
   * order-free. Returns whether anything changed.
   */
  async adopt(record: StoredKey): Promise<boolean> {
    const known = this.db.data.keys.find((k) => k.id === record.id);
    if (known && (known.revokedAt || !record.revokedAt)) return false;
    if (known) {
      this.forget(known.id);
      known.revokedAt = record.revokedAt;
    } else {
      const copy = { ...record, tags: { ...record.tags } };
      this.db.data.keys.push(copy);
      if (!copy.revokedAt) this.active.set(copy.hash, copy);
    }
    await retrySharedWrite(() => this.db.write());
    return true;
  }

  /** A value that tells whether two instances hash keys with the same secret, without revealing it. */
  get secretCheck(): string {
    return hashKey(this.secret, 'tollgate:key-secret-check');
  }

  /** Revokes in memory first, so no request gets in while the file is written. False if no live key has that id. */
  async revoke(id: string): Promise<boolean> {
    const record = this.db.data.keys.find((k) => k.id === id && !k.revokedAt);
    if (!record) return false;
    this.active.delete(record.hash);
    this.verified.clear();
    record.revokedAt = new Date().toISOString();
    this.onRevoke?.({ ...record, tags: { ...record.tags } });
    await retrySharedWrite(() => this.db.write());
    return true;
  }

  /** A key revoked on another instance stops working here at once (adopt() then records the revocation in keys.json). */
  forget(id: string): void {
    const record = this.db.data.keys.find((k) => k.id === id);
    if (!record) return;
    this.active.delete(record.hash);
    this.verified.clear();
  }
}
