import { afterEach, describe, expect, it } from 'vitest';
import { workerTokenCounter, type TokenCounter, type TokenCounterOptions } from '../../server/facts/token-counter.js';
import { countTextTokens, countTextTokensUncached, LARGE_TEXT, largePromptTexts, uncountedLargeTexts } from '../../server/facts/tokens.js';
import type { WorkerFault } from '../../server/workers/supervised-worker.js';

let counter: TokenCounter | null = null;
const open = (options: TokenCounterOptions = {}) => (counter = workerTokenCounter(options));
afterEach(async () => {
  await counter?.close();
  counter = null;
});

/** Prose of `chars` characters, different for each seed so no test finds another's count kept. */
function prose(chars: number, seed: number): string {
  const words = ['budget', 'route', 'cache', 'premium', 'model', 'tokens', 'gateway', 'policy', `seed${seed}`, 'answer'];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${words[(i * 7 + seed) % words.length]}${i % 13 === 0 ? '.\n' : ' '}`;
  return text.slice(0, chars);
}

describe('large prompts counted on a worker thread', () => {
  it('keeps the count the event loop would have made, for every later count', async () => {
    const c = open();
    const texts = [prose(LARGE_TEXT + 10, 1), `${'q'.repeat(300_000)} tail`, `a${' '.repeat(200_000)}b`, prose(2 * LARGE_TEXT, 2)];
    expect(uncountedLargeTexts(texts)).toEqual(texts);
    await c.precount(texts);
    expect(uncountedLargeTexts(texts)).toEqual([]);
    for (const text of texts) expect(countTextTokens(text)).toBe(countTextTokensUncached(text));
    // Counted once: a second request with the same texts sends the worker nothing.
    expect(c.precount(texts)).toBeNull();
  });

  it('sends nothing for a request whose texts are all small', () => {
    const c = open();
    expect(c.precount(['hello', prose(LARGE_TEXT - 1, 3)])).toBeNull();
    expect(c.precount([])).toBeNull();
  });

  it('finds the large texts a prompt count reads: message text, and tool calls whose arguments are large', () => {
    const call = (args: string) => [{ id: 'c1', type: 'function', function: { name: 'write_file', arguments: args } }];
    const big = prose(LARGE_TEXT, 6);
    const texts = largePromptTexts([
      { role: 'user', content: big },
      { role: 'assistant', content: null, tool_calls: call('{"path":"a.txt"}') },
      { role: 'assistant', content: null, tool_calls: call(JSON.stringify({ body: prose(LARGE_TEXT / 2, 7) })) },
      { role: 'user', content: 'small' },
    ]);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(big);
    expect(texts[1]).toContain('write_file');
  });

  it('keeps the event loop turning while a 4 MB prompt is counted', async () => {
    const c = open();
    let turns = 0;
    let counting = true;
    const turn = () => {
      turns++;
      if (counting) setImmediate(turn);
    };
    setImmediate(turn);
    await c.precount([prose(4 * 1024 * 1024, 4)]);
    counting = false;
    // Counted on this thread, the loop would not have turned once until the count was done.
    expect(turns).toBeGreaterThan(1);
  });

  it('leaves the count to the event loop when the worker cannot give it, and says why', async () => {
    const faults: WorkerFault[] = [];
    // No worker loads the tokenizer in a millisecond.
    const c = open({ bootTimeoutMs: 1, onFault: (fault) => faults.push(fault) });
    const text = prose(LARGE_TEXT + 100, 5);
    await c.precount([text]);
    expect(faults.map((f) => f.kind)).toEqual(['boot']);
    expect(uncountedLargeTexts([text])).toEqual([text]);
    expect(countTextTokens(text)).toBe(countTextTokensUncached(text));
  });
});
