import { describe, expect, it } from 'vitest';
import { placeCacheBreakpoints } from '../../server/providers/anthropic-cache-breakpoints.js';
import type { PromptCacheCall } from '../../server/providers/provider.js';
import { PromptCacheParamsSchema } from '../../shared/nodes/prompt-cache.js';

/** One token per word keeps the arithmetic readable. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const text = (n: number, word = 'w') => Array.from({ length: n }, () => word).join(' ');
const cache = (overrides: Partial<PromptCacheCall> = {}): PromptCacheCall => ({ ...PromptCacheParamsSchema.parse({}), minTokens: 1024, ...overrides });
const marked = (block: unknown) => (block as { cache_control?: unknown }).cache_control !== undefined;

const conversation = {
  model: 'claude-sonnet-4-20250514',
  max_tokens: 100,
  tools: [{ name: 'lookup', input_schema: { type: 'object', properties: {} } }],
  system: text(1500),
  messages: [
    { role: 'user', content: [{ type: 'text', text: text(3000, 'doc') }, { type: 'text', text: 'first question' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
    { role: 'user', content: [{ type: 'text', text: 'second question' }] },
  ],
};

describe('Anthropic cache_control breakpoints on the stable prefix', () => {
  it('leaves the request alone without a Prompt cache node', () => {
    expect(placeCacheBreakpoints(conversation, undefined, words)).toBe(conversation);
  });

  it('marks the system prompt, the long document and the history, never the last user turn', () => {
    const out = placeCacheBreakpoints(conversation, cache(), words) as typeof conversation & { system: unknown[] };
    // The tools alone are a few tokens, under the minimum: no breakpoint there.
    expect(marked(out.tools[0])).toBe(false);
    expect(out.system).toEqual([{ type: 'text', text: conversation.system, cache_control: { type: 'ephemeral' } }]);
    expect(out.messages[0]!.content.map(marked)).toEqual([true, false]);
    expect(out.messages[1]!.content.map(marked)).toEqual([true]);
    expect(out.messages[2]!.content.map(marked)).toEqual([false]);
    // The caller's request is not mutated.
    expect(JSON.stringify(conversation)).not.toContain('cache_control');
  });

  it('places no breakpoint while the prefix is under the model minimum (Haiku 3.5: 2048)', () => {
    const short = { ...conversation, system: text(500), messages: [{ role: 'user', content: [{ type: 'text', text: text(1200) }, { type: 'text', text: 'q' }] }] };
    expect(JSON.stringify(placeCacheBreakpoints(short, cache({ minTokens: 2048 }), words))).not.toContain('cache_control');
    // The same request on a model whose minimum is 1024 gets the document breakpoint.
    const out = placeCacheBreakpoints(short, cache({ minTokens: 1024 }), words) as typeof short;
    expect(out.messages[0]!.content.map(marked)).toEqual([true, false]);
  });

  it('marks long tool definitions and honours each switch', () => {
    const tools = Array.from({ length: 3 }, (_, i) => ({ name: `t${i}`, description: text(600), input_schema: { type: 'object' } }));
    const out = placeCacheBreakpoints({ ...conversation, tools }, cache({ cacheSystem: false, cacheDocument: false, cacheHistory: false }), words) as { tools: unknown[]; system: unknown; messages: { content: unknown[] }[] };
    expect(out.tools.map(marked)).toEqual([false, false, true]);
    expect(out.system).toBe(conversation.system);
    expect(JSON.stringify(out.messages)).not.toContain('cache_control');
  });

  it('never uses more than Anthropic’s four breakpoints', () => {
    const tools = [{ name: 't', description: text(2000), input_schema: { type: 'object' } }];
    const out = placeCacheBreakpoints({ ...conversation, tools }, cache(), words);
    expect(JSON.stringify(out).split('cache_control').length - 1).toBe(4);
  });

  it('does not mark a single long message that is the whole prompt', () => {
    const single = { ...conversation, system: undefined, tools: undefined, messages: [{ role: 'user', content: [{ type: 'text', text: text(5000) }] }] };
    expect(JSON.stringify(placeCacheBreakpoints(single, cache(), words))).not.toContain('cache_control');
  });
});
