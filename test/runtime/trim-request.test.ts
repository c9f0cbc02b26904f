import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { TrimAction } from '../../shared/decision.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { trimRequest } from '../../server/runtime/trim-request.js';

const action = (over: Partial<TrimAction>): TrimAction => ({
  type: 'trim',
  node: 't',
  maxInputTokens: 0,
  collapseWhitespace: false,
  keepLastMessages: 0,
  maxOutputTokens: 0,
  ...over,
});
const request = (messages: ChatCompletionRequest['messages'], extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({ model: 'gpt-4o', messages, ...extra });
const trim = (r: ChatCompletionRequest, a: TrimAction) => trimRequest(r, a, countPromptTokens(r.messages));

describe('trimRequest', () => {
  it('collapses runs of spaces and blank lines, and saves tokens', () => {
    const r = request([{ role: 'user', content: 'Hello     there\n\n\n\n\nHow   are   you?   ' }]);
    const out = trim(r, action({ collapseWhitespace: true }));
    expect(out.request.messages[0]!.content).toBe('Hello there\n\nHow are you?');
    expect(out.tokensAfter).toBeLessThan(out.tokensBefore);
  });

  it('keeps code blocks’ indentation', () => {
    const code = 'Fix this:\n```py\ndef f():\n    return 1\n```';
    const out = trim(request([{ role: 'user', content: code }]), action({ collapseWhitespace: true }));
    expect(out.request.messages[0]!.content).toBe(code);
  });

  it('keeps a history window but always the system prompt, and never starts on an orphaned tool result', () => {
    const r = request([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    const out = trim(r, action({ keepLastMessages: 3 }));
    expect(out.request.messages.map((m) => m.content)).toEqual(['Be brief.', 'two', 'three']);
    expect(out.droppedMessages).toBe(3);
  });

  it('drops the oldest turns until the prompt fits, keeping the last message', () => {
    const long = 'word '.repeat(300);
    const r = request([
      { role: 'system', content: 'sys' },
      { role: 'user', content: long },
      { role: 'assistant', content: long },
      { role: 'user', content: 'final question' },
    ]);
    const out = trim(r, action({ maxInputTokens: 100 }));
    expect(out.request.messages.map((m) => m.content)).toEqual(['sys', 'final question']);
    expect(out.tokensAfter).toBeLessThanOrEqual(100);
  });

  it('caps max output tokens in whichever field the caller used', () => {
    expect(trim(request([{ role: 'user', content: 'x' }], { max_tokens: 5000 }), action({ maxOutputTokens: 500 })).request.max_tokens).toBe(500);
    expect(trim(request([{ role: 'user', content: 'x' }], { max_completion_tokens: 100 }), action({ maxOutputTokens: 500 })).request.max_completion_tokens).toBe(100);
    expect(trim(request([{ role: 'user', content: 'x' }]), action({ maxOutputTokens: 500 })).request.max_tokens).toBe(500);
  });

  it('returns the same messages and token count when there is nothing to trim', () => {
    const r = request([{ role: 'user', content: 'Already tidy.' }]);
    const out = trim(r, action({ collapseWhitespace: true, maxInputTokens: 1000 }));
    expect(out.request.messages[0]).toBe(r.messages[0]);
    expect(out.tokensAfter).toBe(out.tokensBefore);
  });
});

describe('trim strategies for long conversations', () => {
  const para = (topic: string) => `${topic}: ${'the warranty covers parts and labour for two years from delivery, excluding wear. '.repeat(4)}`;

  it('keeps the system prompt and the latest whole turns that fit the token window, never a tool result without its call', () => {
    const turn = (i: number): ChatCompletionRequest['messages'] => [
      { role: 'user', content: `question ${i} ${'detail '.repeat(40)}` },
      { role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: `c${i}`, content: `result ${i} ${'data '.repeat(40)}` },
      { role: 'assistant', content: `answer ${i}` },
    ];
    const r = request([{ role: 'system', content: 'Be brief.' }, ...Array.from({ length: 20 }, (_, i) => turn(i)).flat()]);
    const out = trim(r, action({ historyTokens: 400 }));
    const kept = out.request.messages;
    expect(kept[0]!.content).toBe('Be brief.');
    expect(kept[1]!.role).toBe('user');
    expect(kept.at(-1)!.content).toBe('answer 19');
    expect(out.tokensAfter).toBeLessThanOrEqual(400);
    expect(out.tokensAfter).toBeGreaterThan(200);
    expect(kept.length % 4).toBe(1);
  });

  it('always keeps the last turn, even when it alone is over the window', () => {
    const r = request([{ role: 'system', content: 's' }, { role: 'user', content: 'old' }, { role: 'user', content: 'long '.repeat(500) }]);
    expect(trim(r, action({ historyTokens: 50 })).request.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('replaces earlier copies of a long repeated paragraph with a pointer and keeps the latest copy', () => {
    const r = request([
      { role: 'user', content: `${para('Policy')}\n\nWhat does it cover?` },
      { role: 'assistant', content: 'Parts and labour.' },
      { role: 'user', content: [{ type: 'text', text: `${para('Policy')}\n\nAnd for how long?` }] },
    ]);
    const out = trim(r, action({ removeDuplicates: true }));
    expect(out.request.messages[0]!.content).toBe('[repeated further down]\n\nWhat does it cover?');
    expect(JSON.stringify(out.request.messages[2]!.content)).toContain('two years');
    expect(out.tokensAfter).toBeLessThan(out.tokensBefore - 40);
  });

  it('leaves short repeats alone', () => {
    const r = request([{ role: 'user', content: 'Thanks!' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'Thanks!' }]);
    expect(trim(r, action({ removeDuplicates: true })).request.messages.map((m) => m.content)).toEqual(['Thanks!', 'ok', 'Thanks!']);
  });

  it('minifies tool schemas without touching property names, types, enums or required lists', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'create_ticket',
          description: '  Opens a ticket.\n\n   Use for complaints.  ',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            title: 'CreateTicket',
            type: 'object',
            properties: {
              title: { title: 'Title', type: 'string', description: 'Short   summary', examples: ['Broken hinge'] },
              priority: { title: 'Priority', type: 'string', enum: ['low', 'high'] },
              tags: { type: 'array', items: { title: 'Tag', type: 'string' } },
            },
            required: ['title'],
          },
        },
      },
    ];
    const out = trim(request([{ role: 'user', content: 'x' }], { tools }), action({ minifyTools: true })).request.tools!;
    expect(out[0]!.function).toEqual({
      name: 'create_ticket',
      description: 'Opens a ticket. Use for complaints.',
      parameters: {
        type: 'object',
        properties: {
          title: { type: 'string', description: 'Short summary' },
          priority: { type: 'string', enum: ['low', 'high'] },
          tags: { type: 'array', items: { type: 'string' } },
        },
        required: ['title'],
      },
    });
  });
});

describe('few-shot pruning', () => {
  const example = (q: string, a: string): ChatCompletionRequest['messages'] => [
    { role: 'system', name: 'example_user', content: q },
    { role: 'system', name: 'example_assistant', content: a },
  ];

  it('keeps the k examples most similar to the question, in their order, each with its answer', () => {
    const r = request([
      { role: 'system', content: 'Classify the ticket.' },
      ...example('my parcel arrived broken and crushed', 'damaged'),
      ...example('I forgot my password', 'login'),
      ...example('refund my card payment', 'refunds'),
      ...example('the box was crushed, the lamp is broken', 'damaged'),
      { role: 'user', content: 'the parcel arrived crushed and broken' },
    ]);
    const out = trim(r, action({ fewShotKeep: 2 }));
    expect(out.request.messages.map((m) => m.content)).toEqual([
      'Classify the ticket.',
      'my parcel arrived broken and crushed',
      'damaged',
      'the box was crushed, the lamp is broken',
      'damaged',
      'the parcel arrived crushed and broken',
    ]);
    expect(out.droppedMessages).toBe(4);
  });

  it('leaves a prompt with no more examples than k alone', () => {
    const r = request([...example('a question', 'an answer'), { role: 'user', content: 'q' }]);
    expect(trim(r, action({ fewShotKeep: 3 })).request.messages).toEqual(r.messages);
  });
});

describe('maxInputTokens, counting each message once', () => {
  /** The drop loop as it was: recount the whole prompt after every drop. */
  function naive(messages: ChatCompletionRequest['messages'], max: number) {
    let kept = [...messages];
    let tokens = countPromptTokens(kept);
    while (tokens > max) {
      const index = kept.findIndex((m, i) => m.role !== 'system' && i < kept.length - 1);
      if (index < 0) break;
      let rest = kept.slice(index + 1);
      let start = 0;
      while (start < rest.length - 1 && rest[start]!.role === 'tool') start++;
      rest = rest.slice(start);
      kept = [...kept.slice(0, index), ...rest];
      tokens = countPromptTokens(kept);
    }
    return { kept, tokens };
  }

  it('drops exactly the messages the full recount did', () => {
    const message = fc.oneof(
      fc.record({ role: fc.constant('system' as const), content: fc.lorem({ maxCount: 20 }) }),
      fc.record({ role: fc.constant('user' as const), content: fc.lorem({ maxCount: 60 }) }),
      fc.record({ role: fc.constant('assistant' as const), content: fc.lorem({ maxCount: 60 }) }),
      fc.record({ role: fc.constant('tool' as const), tool_call_id: fc.constant('c'), content: fc.lorem({ maxCount: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 30 }), fc.integer({ min: 10, max: 600 }), (messages, max) => {
        const out = trim(request(messages), action({ maxInputTokens: max }));
        const expected = naive(messages, max);
        expect(out.request.messages).toEqual(expected.kept);
        expect(out.tokensAfter).toBe(expected.tokens);
      }),
      { numRuns: 150 },
    );
  });
});
