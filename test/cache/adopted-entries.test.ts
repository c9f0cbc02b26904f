import { describe, expect, it } from 'vitest';
import { exactKey, semanticQuery } from '../../server/cache/cache-key.js';
import { createResponseCache, type AdoptedEntry } from '../../server/cache/response-cache.js';
import { answerOf, cacheAction, cacheInput, completion } from './cache-fixture.js';

const semantic = cacheAction({ mode: 'semantic', maxWrongHitRate: 0.1 });

/** What another instance announces for a question it stored. */
function adopted(question: string, at = Date.now()): AdoptedEntry {
  const input = cacheInput(question);
  const query = semanticQuery(semantic, input)!;
  return { key: exactKey(semantic, input), partition: query.partition, text: query.text, storedAt: at, expiresAt: at + 60_000 };
}

describe('semantic entries adopted from other instances', () => {
  it('are matched by this instance verifier, but only a caller that can fetch the answer gets the match', async () => {
    const cache = createResponseCache();
    const entry = adopted('How do I learn to play the guitar?');
    cache.adopt(entry);
    expect(await cache.lookup(semantic, cacheInput('How do I learn to play guitar?'))).toBeNull();
    expect(await cache.lookupWithShared(semantic, cacheInput('How do I learn to play guitar?'), 'req-1')).toMatchObject({ match: 'shared', key: entry.key, hitId: 'req-1' });
    expect(await cache.lookupWithShared(semantic, cacheInput('How do I learn to play the piano?'))).toBeNull();
    // Never an exact hit without the answer.
    expect(await cache.lookup(semantic, cacheInput('How do I learn to play the guitar?'))).toBeNull();
  });

  it('answer here once the fetched answer is kept, and the verdict on that hit is remembered', async () => {
    const cache = createResponseCache();
    const entry = adopted('How do I learn to play the guitar?');
    cache.adopt(entry);
    cache.keepAnswer(entry.key, { ...completion('Practise chords daily.'), storedAt: entry.storedAt });
    const hit = await cache.lookup(semantic, cacheInput('How do I learn to play guitar?'), 'req-2');
    expect(answerOf(hit)).toBe('Practise chords daily.');
    expect(cache.hitOf('req-2')).toMatchObject({ key: entry.key });
    expect(cache.recordHitOutcome('req-2', false)).toBe(true);
    expect(await cache.lookup(semantic, cacheInput('How do I learn to play guitar?'))).toBeNull();
  });

  it('take another instance verdict on an entry held here', async () => {
    const cache = createResponseCache();
    const entry = adopted('How do I learn to play the guitar?');
    cache.adopt(entry);
    const match = await cache.lookupWithShared(semantic, cacheInput('How do I learn to play guitar?'));
    expect(match).toMatchObject({ match: 'shared' });
    expect(cache.recordEntryOutcome(entry.key, (match as { score: number }).score, false)).toBe(true);
    expect(await cache.lookupWithShared(semantic, cacheInput('How do I learn to play guitar?'))).toBeNull();
    expect(cache.recordEntryOutcome('0'.repeat(64), 0.9, false)).toBe(false);
  });

  it('do not replace an answer held here, skip expired ones, and are forgotten when their answer is gone', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('How do I learn to play the guitar?'), completion('Mine.'));
    cache.adopt(adopted('How do I learn to play the guitar?'));
    expect(answerOf(await cache.lookup(semantic, cacheInput('How do I learn to play guitar?')))).toBe('Mine.');
    const old = adopted('How can I improve my English speaking skills?', Date.now() - 120_000);
    cache.adopt(old);
    expect(await cache.lookupWithShared(semantic, cacheInput('how can I improve my english speaking skills'))).toBeNull();
    const fresh = adopted('How can I improve my English speaking skills?');
    cache.adopt(fresh);
    expect(await cache.lookupWithShared(semantic, cacheInput('how can I improve my english speaking skills'))).toMatchObject({ match: 'shared' });
    cache.forget(fresh.key);
    expect(await cache.lookupWithShared(semantic, cacheInput('how can I improve my english speaking skills'))).toBeNull();
  });

  it('stay within the hot tier bytes budget', async () => {
    const cache = createResponseCache({ maxBytes: 20_000 });
    for (let i = 0; i < 500; i++) cache.adopt(adopted(`How do I learn to play song number ${i} on the guitar?`));
    expect(cache.stats().bytes).toBeLessThanOrEqual(20_000);
    expect(cache.stats().entries).toBeLessThan(500);
    await new Promise((r) => queueMicrotask(() => r(undefined)));
    // The evicted first question is gone from the index too.
    expect(await cache.lookupWithShared(semantic, cacheInput('How do I learn to play song number 0 on the guitar?'))).toBeNull();
    expect(await cache.lookupWithShared(semantic, cacheInput('How do I learn to play song number 499 on the guitar?'))).toMatchObject({ match: 'shared' });
  });
});
