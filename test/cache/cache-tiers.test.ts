import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseCache } from '../../server/cache/response-cache.js';
import { answerOf, cacheAction, cacheInput, completion } from './cache-fixture.js';

const semantic = cacheAction({ mode: 'semantic' });
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-cache-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('cache tiers', () => {
  it('keeps a frequently used entry in the hot tier while cold ones are evicted by bytes', async () => {
    const cache = createResponseCache({ maxBytes: 20_000 });
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    for (let i = 0; i < 200; i++) {
      cache.store(semantic, cacheInput(`Cold question number ${i} about topic ${i}?`), completion('z'.repeat(300)));
      expect(answerOf(await cache.lookup(semantic, cacheInput('what is the capital of france')))).toBe('Paris');
    }
    expect(cache.stats().bytes).toBeLessThanOrEqual(20_000);
    expect(await cache.lookup(semantic, cacheInput('Cold question number 0 about topic 0?'))).toBeNull();
  });

  it('holds 500 questions in one partition (no per-partition cap)', async () => {
    const cache = createResponseCache();
    for (let i = 0; i < 500; i++) cache.store(semantic, cacheInput(`How do I configure feature ${i} of the dashboard?`), completion(`answer ${i}`));
    expect(answerOf(await cache.lookup(semantic, cacheInput('how do I configure feature 0 of the dashboard')))).toBe('answer 0');
    expect(answerOf(await cache.lookup(semantic, cacheInput('How do I configure feature 499 of the dashboard ?')))).toBe('answer 499');
  });

  it('serves answers from the disk tier after a restart, exact and semantic', async () => {
    const dir = await tempDir();
    const first = createResponseCache({ warm: { dir, maxBytes: 1024 * 1024 } });
    first.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    first.store(cacheAction(), cacheInput('What is 2+2?'), completion('4'));
    const second = createResponseCache({ warm: { dir, maxBytes: 1024 * 1024 } });
    expect(second.stats()).toMatchObject({ entries: 0, warmEntries: 2 });
    expect(answerOf(await second.lookup(cacheAction(), cacheInput('What is 2+2?')))).toBe('4');
    expect(answerOf(await second.lookup(semantic, cacheInput('what is the capital of france')))).toBe('Paris');
  });

  it('bounds the disk tier in bytes, dropping the least recently used', async () => {
    const dir = await tempDir();
    const cache = createResponseCache({ maxBytes: 4_000, warm: { dir, maxBytes: 12_000 } });
    for (let i = 0; i < 40; i++) cache.store(cacheAction(), cacheInput(`q${i}`), completion('y'.repeat(1000)));
    const { warmBytes, warmEntries } = cache.stats();
    expect(warmBytes).toBeLessThanOrEqual(12_000);
    expect(warmEntries).toBeLessThan(40);
    expect(answerOf(await cache.lookup(cacheAction(), cacheInput('q39')))).toBe('y'.repeat(1000));
    expect(await cache.lookup(cacheAction(), cacheInput('q0'))).toBeNull();
  });

  it('stores only successful answers', async () => {
    const cache = createResponseCache();
    const filtered = completion('');
    (filtered.body.choices as { finish_reason: string }[])[0]!.finish_reason = 'content_filter';
    cache.store(cacheAction(), cacheInput('Q'), filtered);
    cache.store(cacheAction(), cacheInput('Q'), { body: { error: { message: 'upstream down' } }, usage: null, model: 'm' });
    expect(cache.stats()).toMatchObject({ entries: 0, stores: 0 });
  });
});

describe('feedback on semantic hits', () => {
  it('a wrong verdict stops that entry serving at that score; a right one keeps it serving', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    const hit = (await cache.lookup(semantic, cacheInput('what is the capital of france')))!;
    expect(hit.hitId).toBeTypeOf('string');
    expect(cache.recordHitOutcome(hit.hitId!, true)).toBe(true);
    expect(cache.recordHitOutcome(hit.hitId!, true)).toBe(false);
    const again = (await cache.lookup(semantic, cacheInput('what is the capital of france')))!;
    expect(answerOf(again)).toBe('Paris');
    expect(cache.recordHitOutcome(again.hitId!, false)).toBe(true);
    expect(await cache.lookup(semantic, cacheInput('what is the capital of france'))).toBeNull();
    expect(answerOf(await cache.lookup(semantic, cacheInput('What is the capital of France?')))).toBe('Paris');
    expect(cache.recordHitOutcome('no-such-hit', true)).toBe(false);
  });

  it('names a hit by the id the caller gives (the runtime passes its request id)', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    expect(await cache.lookup(semantic, cacheInput('what is the capital of france'), 'request-1')).toMatchObject({ hitId: 'request-1' });
    expect(cache.recordHitOutcome('request-1', false)).toBe(true);
    expect(await cache.lookup(semantic, cacheInput('what is the capital of france'), 'request-2')).toBeNull();
  });
});
