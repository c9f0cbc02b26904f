import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { LocalResponseStore } from '../../server/responses/local-response-store.js';
import { storedResponseOf, type StoredResponse } from '../../server/responses/stored-response.js';

/** Kept responses on a real folder: what a later turn, a restart and the byte bound see. */
let dir: string;
let clock: number;
const DAY = 86_400_000;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-responses-'));
  clock = Date.parse('2026-12-07T12:00:00Z');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const open = (maxBytes = 1024 * 1024) => LocalResponseStore.open({ dir, maxBytes, keepMs: DAY, now: () => clock, log: createLogger('silent') });

const idOf = (n: number) => `resp_${n.toString(16).padStart(32, '0')}`;
/** A record's file: its id, its expiry, and a hash of its owner (key_a's). */
const KEY_A = createHash('sha256').update('key_a').digest('hex').slice(0, 12);
const fileOf = (id: string, expiresAt: number) => `${id}.${expiresAt}.${KEY_A}.json`;

function record(n: number, owner = 'key_a', text = 'Paris.', earlier: string[] = []): StoredResponse {
  const id = idOf(n);
  const response = { id, object: 'response', output: [{ type: 'message', id: `msg_${n}`, role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }] };
  return storedResponseOf({ response, owner, input: [{ type: 'message', role: 'user', content: `Question ${n}?` }], earlier, now: clock, keepMs: DAY });
}

describe('LocalResponseStore', () => {
  it('has a new record on disk when put returns (before its answer goes out), and answers its owner only', async () => {
    const store = open();
    const kept = record(1);
    expect(store.put(kept)).toBeNull();
    // No await between: a crash right after the put loses nothing.
    expect(readdirSync(dir)).toEqual([fileOf(kept.id, kept.expiresAt)]);
    expect(await store.get(kept.id, 'key_a')).toEqual(kept);
    expect(await store.get(kept.id, 'key_b')).toBeNull();
    expect(await store.get('resp_../../etc/passwd', 'key_a')).toBeNull();
    await store.close();
  });

  it('writes a record over 64 KB off the event loop, answers it from memory meanwhile, and says when it is on disk', async () => {
    const store = open();
    const large = record(7, 'key_a', 'x'.repeat(100_000));
    const writing = store.put(large);
    expect(writing).toBeInstanceOf(Promise);
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.get(large.id, 'key_a')).toEqual(large);
    // What the answer waits for: the whole file under its own name, nothing temporary left.
    await writing;
    expect(readdirSync(dir)).toEqual([fileOf(large.id, large.expiresAt)]);
    expect(await open().get(large.id, 'key_a')).toEqual(large);
  });

  it('keeps records across a restart, read back from their files', async () => {
    const first = open();
    first.put(record(1));
    first.put(record(2));
    await first.close();
    expect((await readdir(dir)).sort()).toEqual([fileOf(record(1).id, clock + DAY), fileOf(record(2).id, clock + DAY)]);
    const second = open();
    expect(await second.get(record(2).id, 'key_a')).toEqual(record(2));
    expect(second.stats.records).toBe(2);
  });

  it('stays within its bytes, the least recently used record out first, on disk too', async () => {
    const size = Buffer.byteLength(JSON.stringify(record(1)));
    const store = open(size * 3 + 10);
    for (let n = 1; n <= 3; n++) store.put(record(n));
    // Record 1 is read (an earlier turn of a conversation still going): 2 and 3 go first.
    expect(await store.getMany([record(1).id, record(9).id], 'key_a')).toEqual([record(1), null]);
    store.put(record(4));
    store.put(record(5));
    await store.close();
    expect(store.stats).toEqual({ records: 3, bytes: size * 3 });
    expect(await store.getMany([2, 3, 1, 4, 5].map((n) => record(n).id), 'key_a')).toEqual([null, null, record(1), record(4), record(5)]);
    expect((await readdir(dir)).length).toBe(3);
    // A record larger than the whole bound is not kept at all.
    const small = open(size - 1);
    small.put(record(9));
    expect(await small.get(record(9).id, 'key_a')).toBeNull();
  });

  it('forgets a record after its keep time, and removes its file at the next start', async () => {
    const store = open();
    store.put(record(1));
    await store.close();
    clock += DAY;
    expect(await store.get(record(1).id, 'key_a')).toBeNull();
    open();
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the earlier turns of a conversation at least as long as its newest, across a restart', async () => {
    const store = open();
    const first = record(1);
    store.put(first);
    clock += DAY / 2;
    const second = record(2, 'key_a', 'Rome.', [first.id]);
    store.put(second);
    await store.close();
    clock += (DAY * 3) / 4;
    // A day and a quarter after it was kept, the first turn lives on with the second.
    expect(await store.get(first.id, 'key_a')).not.toBeNull();
    const reopened = open();
    expect(await reopened.getMany([first.id, second.id], 'key_a')).toEqual([first, second]);
    // Extended with a 24th of the keep time to spare, so the next turns need not extend it again.
    expect(second.earlierUntil).toBe(second.expiresAt + DAY / 24);
    expect((await readdir(dir)).sort()).toEqual([fileOf(first.id, second.earlierUntil!), fileOf(second.id, second.expiresAt)]);
    clock += DAY;
    expect(await reopened.getMany([first.id, second.id], 'key_a')).toEqual([null, null]);
  });

  it('reads an earlier turn while its file is being renamed to the later expiry', async () => {
    // No memory tier: every read is from disk.
    const store = LocalResponseStore.open({ dir, maxBytes: 1024 * 1024, hotBytes: 1, keepMs: DAY, now: () => clock, log: createLogger('silent') });
    const first = record(1);
    store.put(first);
    await store.close();
    clock += 1000;
    store.put(record(2, 'key_a', 'Rome.', [first.id]));
    expect(await store.get(first.id, 'key_a')).toEqual(first);
    await store.close();
  });

  it('deletes for the owner only, the file with it', async () => {
    const store = open();
    store.put(record(1));
    expect(await store.delete(record(1).id, 'key_b')).toBe(false);
    expect(await store.delete(record(1).id, 'key_a')).toBe(true);
    expect(await store.delete(record(1).id, 'key_a')).toBe(false);
    await store.close();
    expect(await readdir(dir)).toEqual([]);
    expect(await open().get(record(1).id, 'key_a')).toBeNull();
  });

  it('drops a corrupt file and a half-written one instead of failing', async () => {
    const id = record(7).id;
    await writeFile(path.join(dir, fileOf(id, clock + DAY)), '{"v":1,"id":');
    await writeFile(path.join(dir, `${fileOf(record(8).id, clock + DAY)}.tmp`), '{}');
    await writeFile(path.join(dir, 'notes.txt'), 'not ours');
    const store = open();
    expect(store.stats.records).toBe(1);
    expect(await store.get(id, 'key_a')).toBeNull();
    expect(store.stats.records).toBe(0);
    await store.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('lets one key hold its share of the bytes only: past it, that key gives up its own oldest records', async () => {
    const size = Buffer.byteLength(JSON.stringify(record(1)));
    const openShared = () => LocalResponseStore.open({ dir, maxBytes: size * 10, ownerShare: 0.3, keepMs: DAY, now: () => clock, log: createLogger('silent') });
    // A millisecond apart, so a restart (which orders records by expiry) knows which is oldest.
    const kept = [record(1, 'key_b'), ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => (clock++, record(n, 'key_a')))];
    const store = openShared();
    for (const r of kept.slice(0, 8)) store.put(r);
    await store.close();
    // key_a may hold three records' bytes; key_b's one survives key_a's seven.
    expect(await store.getMany([2, 5, 6, 7, 8].map(idOf), 'key_a')).toEqual([null, null, kept[5], kept[6], kept[7]]);
    expect(await store.get(idOf(1), 'key_b')).toEqual(kept[0]);
    expect(store.stats.records).toBe(4);
    expect((await readdir(dir)).length).toBe(4);
    // After a restart the files' names still say whose they are.
    const reopened = openShared();
    reopened.put(kept[8]!);
    expect(await reopened.getMany([6, 7, 8, 9].map(idOf), 'key_a')).toEqual([null, kept[6], kept[7], kept[8]]);
    expect(await reopened.get(idOf(1), 'key_b')).not.toBeNull();
  });

  it('keeps nothing with a size of 0', async () => {
    const store = open(0);
    store.put(record(1));
    expect(store.enabled).toBe(false);
    expect(await store.get(record(1).id, 'key_a')).toBeNull();
  });
});
