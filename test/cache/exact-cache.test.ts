import { describe, expect, it } from 'vitest';
import { createResponseCache } from '../../server/cache/response-cache.js';
import { answerOf, cacheAction, cacheInput, completion } from './cache-fixture.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('exact response cache', () => {
  it('answers the same request from the cache and misses a different one', async () => {
    const cache = createResponseCache();
    const action = cacheAction();
    expect(await cache.lookup(action, cacheInput('What is 2+2?'))).toBeNull();
    cache.store(action, cacheInput('What is 2+2?'), completion('4'));
    const hit = await cache.lookup(action, cacheInput('What is 2+2?'));
    expect(answerOf(hit)).toBe('4');
    expect(hit).toMatchObject({ match: 'exact', similarity: 1, model: 'gpt-4o-mini', usage: { inputTokens: 12 } });
    expect(await cache.lookup(action, cacheInput('What is 2+3?'))).toBeNull();
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, stores: 1, entries: 1 });
  });

  it('ignores how the answer is delivered and who asked', async () => {
    const cache = createResponseCache();
    const action = cacheAction();
    cache.store(action, cacheInput('Hi', { request: { temperature: 0 } }), completion('Hello'));
    const sameAnswer = cacheInput('Hi', { request: { temperature: 0, stream: true, stream_options: { include_usage: true }, user: 'bob', metadata: { team: 'x' } } });
    expect(answerOf(await cache.lookup(action, sameAnswer))).toBe('Hello');
  });

  it('misses when something that changes the answer differs', async () => {
    const cache = createResponseCache();
    const action = cacheAction();
    cache.store(action, cacheInput('Hi', { request: { temperature: 0 } }), completion('Hello'));
    expect(await cache.lookup(action, cacheInput('Hi', { request: { temperature: 1 } }))).toBeNull();
    expect(await cache.lookup(action, cacheInput('Hi', { request: { temperature: 0, max_tokens: 5 } }))).toBeNull();
    expect(await cache.lookup(action, cacheInput('Hi', { request: { temperature: 0, tools: [{ type: 'function' }] } }))).toBeNull();
    expect(await cache.lookup(action, cacheInput('Hi', { request: { temperature: 0, response_format: { type: 'json_object' } } }))).toBeNull();
    expect(await cache.lookup(action, cacheInput('Hi', { request: { temperature: 0 }, model: 'gpt-4o' }))).toBeNull();
  });

  it('treats key order and null parameters as the same request', async () => {
    const cache = createResponseCache();
    const action = cacheAction();
    cache.store(action, cacheInput('Hi', { request: { top_p: null, response_format: { type: 'json_schema', json_schema: { name: 'a', strict: true } } } }), completion('Hello'));
    const reordered = cacheInput('Hi', { request: { response_format: { json_schema: { strict: true, name: 'a' }, type: 'json_schema' } } });
    expect(answerOf(await cache.lookup(action, reordered))).toBe('Hello');
  });

  it('keeps one scope partition from reading another', async () => {
    const cache = createResponseCache();
    const action = cacheAction({ scopeTags: ['team'] });
    cache.store(action, cacheInput('Q', { tags: { team: 'search' } }), completion('for search'));
    expect(answerOf(await cache.lookup(action, cacheInput('Q', { tags: { team: 'search', feature: 'chat' } })))).toBe('for search');
    expect(await cache.lookup(action, cacheInput('Q', { tags: { team: 'ads' } }))).toBeNull();
    expect(await cache.lookup(action, cacheInput('Q', { tags: {} }))).toBeNull();
  });

  it('expires an entry after its TTL, or sooner when the asking node wants fresher answers', async () => {
    const time = clock();
    const cache = createResponseCache({ now: time.now });
    cache.store(cacheAction({ ttlSeconds: 60 }), cacheInput('Q'), completion('A'));
    time.advance(30_000);
    expect(await cache.lookup(cacheAction({ ttlSeconds: 10 }), cacheInput('Q'))).toBeNull();
    expect(answerOf(await cache.lookup(cacheAction({ ttlSeconds: 3600 }), cacheInput('Q')))).toBe('A');
    time.advance(30_000);
    expect(await cache.lookup(cacheAction({ ttlSeconds: 3600 }), cacheInput('Q'))).toBeNull();
    expect(cache.stats().entries).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = createResponseCache({ maxEntries: 3 });
    const action = cacheAction();
    for (const q of ['a', 'b', 'c']) cache.store(action, cacheInput(q), completion(q));
    await cache.lookup(action, cacheInput('a'));
    cache.store(action, cacheInput('d'), completion('d'));
    expect(cache.stats().entries).toBe(3);
    expect(await cache.lookup(action, cacheInput('b'))).toBeNull();
    expect(answerOf(await cache.lookup(action, cacheInput('a')))).toBe('a');
  });

  it('holds at most maxBytes and skips answers larger than maxEntryBytes', async () => {
    const cache = createResponseCache({ maxBytes: 4000, maxEntryBytes: 2000 });
    const action = cacheAction();
    cache.store(action, cacheInput('huge'), completion('x'.repeat(5000)));
    expect(await cache.lookup(action, cacheInput('huge'))).toBeNull();
    for (let i = 0; i < 20; i++) cache.store(action, cacheInput(`q${i}`), completion('y'.repeat(500)));
    expect(cache.stats().bytes).toBeLessThanOrEqual(4000);
    expect(cache.stats().entries).toBeLessThan(20);
    expect(answerOf(await cache.lookup(action, cacheInput('q19')))).toBe('y'.repeat(500));
  });

  it('does not store a body without choices', async () => {
    const cache = createResponseCache();
    cache.store(cacheAction(), cacheInput('Q'), { body: { error: 'x' }, usage: null, model: 'm' });
    expect(cache.stats().entries).toBe(0);
  });
});
