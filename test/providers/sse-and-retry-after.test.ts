import { describe, expect, it } from 'vitest';
import { completionToChunks, formatSse, SSE_DONE } from '../../server/providers/openai-sse.js';
import { parseRetryAfter, retryAfterMs } from '../../server/providers/retry-after.js';
import { readSseEvents } from '../../server/providers/sse-decoder.js';
import type { SseEvent } from '../../server/providers/sse-decoder.js';
import { assembleChunks } from '../support/collect-stream.js';

async function decode(pieces: string[]): Promise<SseEvent[]> {
  const bytes = pieces.map((p) => new TextEncoder().encode(p));
  const events: SseEvent[] = [];
  for await (const event of readSseEvents(bytes)) events.push(event);
  return events;
}

describe('readSseEvents', () => {
  it('yields events split anywhere across network packets, including inside a CRLF and a UTF-8 character', async () => {
    const text = 'event: a\r\ndata: {"x":"é"}\r\n\r\n: comment\r\ndata: second\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    // 9 falls between \r and \n, 23 inside the two bytes of é.
    const cuts = [3, 9, 23, 27];
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      pieces.push(bytes.slice(from, cut));
      from = cut;
    }
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(pieces)) events.push(event);
    expect(events).toEqual([
      { event: 'a', data: '{"x":"é"}' },
      { event: '', data: 'second' },
    ]);
  });

  it('joins multi-line data and handles LF, CR and a missing final blank line', async () => {
    expect(await decode(['data: one\ndata: two\n\n', 'data:three\r\rdata: last'])).toEqual([
      { event: '', data: 'one\ntwo' },
      { event: '', data: 'three' },
      { event: '', data: 'last' },
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 31 May 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('prefers OpenAI\'s retry-after-ms header', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '2' })).toBe(1500);
    expect(retryAfterMs({})).toBeNull();
  });
});

describe('completionToChunks', () => {
  const body = {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
  };

  it('replays a cached completion as role, content, tool calls, finish and usage chunks', () => {
    const chunks = completionToChunks(body);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-1')).toBe(true);
    expect(assembleChunks(chunks)).toEqual({ content: 'Hello', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }], finishReason: 'tool_calls' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: body.usage });
  });

  it('frames objects as SSE events', () => {
    expect(formatSse({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
  });
});
