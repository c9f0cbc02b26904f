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
