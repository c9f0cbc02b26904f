import { describe, expect, it } from 'vitest';
import { createResponseCache } from '../../server/cache/response-cache.js';
import { answerOf, cacheAction, cacheInput, completion } from './cache-fixture.js';

const semantic = cacheAction({ mode: 'semantic' });

function followUp(first: string, answer: string, next: string) {
  return cacheInput(next, {
    request: { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: first }, { role: 'assistant', content: answer }, { role: 'user', content: next }] },
  });
}

describe('semantic response cache', () => {
  it('serves the same question typed differently at any bound', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    for (const q of ['WHAT IS THE CAPITAL OF FRANCE', 'What is the capital of France ?!', 'what  is the capital of   france']) {
      expect(answerOf(await cache.lookup(semantic, cacheInput(q))), q).toBe('Paris');
    }
    expect(await cache.lookup(semantic, cacheInput('what is the capital of france'))).toMatchObject({ match: 'semantic', similarity: 1 });
  });

  it('leaves the same words without articles or plurals to the calibrated bound: not at 2%, yes at 10%', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    expect(await cache.lookup(semantic, cacheInput("what's the capital of france"))).toBeNull();
    expect(answerOf(await cache.lookup({ ...semantic, maxWrongHitRate: 0.1 }, cacheInput("what's the capital of france")))).toBe('Paris');
  });

  it('does not serve a telegraphic rewording the calibration cannot vouch for at a 2% bound', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    expect(await cache.lookup(semantic, cacheInput('Capital of France?'))).toBeNull();
  });

  it('does not serve a question that points at something it does not contain', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What do you think about this video?'), completion('Nice video.'));
    expect(await cache.lookup(semantic, cacheInput('what do you think about this video'))).toBeNull();
  });

  it('misses a different question, even one with the same words in another order', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('How do I convert celsius to fahrenheit?'), completion('F = C × 9/5 + 32'));
    for (const q of ['How do I convert fahrenheit to celsius?', 'What is the capital of Germany?', 'How do I convert miles to kilometres?']) {
      expect(await cache.lookup(semantic, cacheInput(q)), q).toBeNull();
    }
  });

  it('serves the closest of several stored answers', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('How do I reverse a list in Python?'), completion('list.reverse()'));
    cache.store(semantic, cacheInput('How do I reverse a string in Python?'), completion('s[::-1]'));
    expect(answerOf(await cache.lookup(semantic, cacheInput('how do i reverse a string in python')))).toBe('s[::-1]');
  });

  it('is not used by an exact-mode node', async () => {
    const cache = createResponseCache();
    cache.store(semantic, cacheInput('What is the capital of France?'), completion('Paris'));
    expect(await cache.lookup(cacheAction({ mode: 'exact' }), cacheInput("what's the capital of france"))).toBeNull();
  });

  it('needs the same conversation before the last question', async () => {
    const cache = createResponseCache();
    cache.store(semantic, followUp('Tell me about Rust.', 'Rust is a systems language.', 'Who created it?'), completion('Graydon Hoare'));
    expect(answerOf(await cache.lookup(semantic, followUp('Tell me about Rust.', 'Rust is a systems language.', 'who created it')))).toBe('Graydon Hoare');
    expect(await cache.lookup(semantic, followUp('Tell me about Go.', 'Go is a language from Google.', 'Who created it?'))).toBeNull();
    expect(await cache.lookup(semantic, cacheInput('Who created it?'))).toBeNull();
  });

  it('needs the same model and scope partition', async () => {
    const cache = createResponseCache();
    const scoped = { ...semantic, scopeTags: ['team'] };
    cache.store(scoped, cacheInput('What is the capital of France?', { tags: { team: 'a' } }), completion('Paris'));
    expect(await cache.lookup(scoped, cacheInput('what is the capital of France', { tags: { team: 'b' } }))).toBeNull();
    expect(await cache.lookup(scoped, cacheInput('what is the capital of France', { tags: { team: 'a' }, model: 'gpt-4o' }))).toBeNull();
    expect(answerOf(await cache.lookup(scoped, cacheInput('what is the capital of France', { tags: { team: 'a' } })))).toBe('Paris');
  });

  it('falls back to exact matching when the last message is not a user question', async () => {
    const cache = createResponseCache();
    const tool = (result: string) =>
      cacheInput('x', { request: { messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: null, tool_calls: [{ id: 't1' }] }, { role: 'tool', tool_call_id: 't1', content: result }] } });
    cache.store(semantic, tool('sunny, 20 C'), completion('It is sunny.'));
    expect(answerOf(await cache.lookup(semantic, tool('sunny, 20 C')))).toBe('It is sunny.');
    expect(await cache.lookup(semantic, tool('sunny, 21 C'))).toBeNull();
  });
});
