import { describe, expect, it } from 'vitest';
import { stablePrefixFirst } from '../../server/runtime/stable-prefix.js';
import type { ChatCompletionRequest } from '../../shared/api.js';

const tool = (name: string) => ({ type: 'function', function: { parameters: { type: 'object', properties: { q: { type: 'string' } } }, name, description: `the ${name} tool` } });

describe('stable prefix first', () => {
  it('puts system and developer messages first, keeping every order within', () => {
    const request: ChatCompletionRequest = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'system', content: 's1' },
        { role: 'assistant', content: 'b' },
        { role: 'developer', content: 's2' },
        { role: 'user', content: 'c' },
      ],
    };
    expect(stablePrefixFirst(request).messages.map((m) => m.content)).toEqual(['s1', 's2', 'a', 'b', 'c']);
  });

  it('gives the same tool bytes whatever order the caller listed them and their keys in', () => {
    const a = stablePrefixFirst({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], tools: [tool('search'), tool('fetch')] });
    const reversed = { ...tool('fetch'), function: { name: 'fetch', description: 'the fetch tool', parameters: { properties: { q: { type: 'string' } }, type: 'object' } } };
    const b = stablePrefixFirst({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], tools: [tool('search'), reversed] });
    expect(JSON.stringify(a.tools)).toBe(JSON.stringify(b.tools));
    expect(a.tools!.map((t) => (t.function as { name: string }).name)).toEqual(['fetch', 'search']);
  });
});
