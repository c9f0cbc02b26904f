import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPromptTokens, countTextTokensUncached } from '../../server/facts/tokens.js';
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

/** About 3 MB of prose that no other test sends, so its count is not found kept from elsewhere. */
function essay(seed: string): string {
  const sentence = `The ${seed} gateway routes each request to the cheapest model that keeps its quality, and books the cost to the team. `;
  return sentence.repeat(Math.ceil(3_000_000 / sentence.length)).trimEnd();
}

describe('a prompt of megabytes, counted on the token count worker', () => {
  it('is counted on every surface as the event loop would count it', async () => {
    const chatText = essay('chat');
    const chat = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: chatText }] });
    // The example policy's trim node leaves prose as it is: the provider is sent the counted text.
    expect(chat.usage?.prompt_tokens).toBe(3 + 4 + countTextTokensUncached(chatText));

    const decideText = essay('decide');
    const decided = (await (await h.post('/v1/decide', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: decideText }] })).json()) as { facts: { promptTokens: number } };
    expect(decided.facts.promptTokens).toBe(countPromptTokens([{ role: 'user', content: decideText }]));

    const countText = essay('count');
    const counted = await h.post('/v1/messages/count_tokens', { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: countText }] });
    expect(counted.status).toBe(200);
    expect(((await counted.json()) as { input_tokens: number }).input_tokens).toBe(3 + 4 + countTextTokensUncached(countText));

    const embedText = essay('embed').slice(0, 1_000_000);
    const embedded = await h.client.embeddings.create({ model: 'text-embedding-3-small', input: embedText });
    expect(embedded.usage.prompt_tokens).toBe(countTextTokensUncached(embedText));
  });
});
