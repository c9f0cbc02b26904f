import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hello, startHarness, type Harness } from './harness.js';

/**
 * A prompt near the body limit that is one run without whitespace (a base64 attachment, a
 * minified file), or of whitespace: the tokenizer alone is quadratic in such a run and held the event loop for
 * minutes on 1 MB, so one caller stopped the gateway for all. It is counted in pieces now.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('a huge prompt without whitespace', () => {
  it('is answered, priced from its counted tokens, while other callers are answered too', async () => {
    const [huge, small] = await Promise.all([
      h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(1_000_000) }] }),
      h.client.chat.completions.create(hello()),
    ]);
    expect(small.choices[0]!.message.content).toBeTruthy();
    // 1,000,000 repeated letters are 250,000 tokens, plus the chat format's 7.
    expect(huge.usage?.prompt_tokens).toBe(250_007);
  });

  it('is answered when it is a 1 MB run of whitespace', async () => {
    const padded = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Hi${' '.repeat(500_000)}${'\n'.repeat(500_000)}there` }] });
    // The example policy collapses runs of whitespace before the call (its trim node), so the provider is sent two words.
    expect(padded.choices[0]!.message.content).toBeTruthy();
    expect(padded.usage?.prompt_tokens).toBeLessThan(20);
  });
});
