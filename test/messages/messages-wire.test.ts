import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { describe, expect, it } from 'vitest';
import { MessagesRequestSchema } from '../../shared/messages-api.js';
import { messagesToChat } from '../../server/messages/messages-to-chat.js';
import { MESSAGES_WIRE } from '../../server/messages/messages-wire.js';
import { completionToChunks } from '../../server/providers/openai-sse.js';

const parse = (body: Record<string, unknown>) => MessagesRequestSchema.parse({ model: 'claude-sonnet-4-5', max_tokens: 256, ...body });
const usage = { inputTokens: 120, outputTokens: 5, cachedInputTokens: 80, cacheWriteTokens: 30 };
const requestId = '0b9c1f2e-1111-4222-8333-944455556666';

function completion(message: Record<string, unknown>, finishReason = 'stop') {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1_800_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }] };
}

/** The events a stream writes, read back by the Anthropic SDK's own accumulator (it takes one JSON event a line). */
async function sdkMessage(sse: string) {
  const lines = sse
    .split('\n\n')
    .filter(Boolean)
    .map((block) => block.split('\n')[1]!.slice('data: '.length))
    .join('\n');
  const body = new Response(lines + '\n').body!;
  return MessageStream.fromReadableStream(body).finalMessage();
}

describe('a Messages request as a chat completion', () => {
  it('maps system blocks, tool results (ahead of the turn’s text), tool use, images, tools and tool choice', () => {
    const chat = messagesToChat(
      parse({
        system: [
          { type: 'text', text: 'Be terse.' },
          { type: 'text', text: 'Use metric units.', cache_control: { type: 'ephemeral' } },
        ],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me look.' },
              { type: 'tool_use', id: 'a', name: 'look', input: {} },
              { type: 'tool_use', id: 'b', name: 'measure', input: { unit: 'cm' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'a', content: 'a cat' },
              { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'ruler missing' }], is_error: true },
              { type: 'text', text: 'And its size?' },
            ],
          },
          { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }] },
        ],
        tools: [{ name: 'look', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'look' },
      }),
    );
    expect(chat).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'Be terse.\n\nUse metric units.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'look', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'measure', arguments: '{"unit":"cm"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'a cat' },
        { role: 'tool', tool_call_id: 'b', content: 'Error: ruler missing' },
        { role: 'user', content: 'And its size?' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'look' } },
    });
  });

  it('moves a tool result’s image to the user turn after the tool turns, since a chat tool turn carries text only', () => {
    const png = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'AAAA' } };
    const chat = messagesToChat(
      parse({
        messages: [
          { role: 'user', content: 'Take a screenshot.' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'shot', name: 'screenshot', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'shot', content: [{ type: 'text', text: 'Captured.' }, png] }] },
        ],
      }),
    );
    expect(chat.messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'shot', content: 'Captured.\n[image: in the next user turn]' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
    ]);
  });

  it('asks any tool as required, keeps temperature, drops top_k, and asks a stream to report usage', () => {
    // Older SDKs still send sampling settings; chat providers have no top_k.
    expect(messagesToChat(parse({ messages: [{ role: 'user', content: 'Hi' }], tool_choice: { type: 'any' }, stream: true, temperature: 0.2, top_k: 5 }))).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      temperature: 0.2,
      messages: [{ role: 'user', content: 'Hi' }],
      tool_choice: 'required',
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe('a chat answer as a message', () => {
  it('carries text and tool use, maps the finish reason, and counts cache reads and writes apart from input tokens', () => {
    const whole = MESSAGES_WIRE.whole(completion({ content: 'Checking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"q":"x"}' } }] }, 'tool_calls'), { usage, requestId })!;
    expect(whole).toEqual({
      id: 'msg_0b9c1f2e111142228333944455556666',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-mini',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'f', input: { q: 'x' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 80, cache_creation_input_tokens: 30 },
    });
    const stop = (message: Record<string, unknown>, reason: string) => MESSAGES_WIRE.whole(completion(message, reason), { usage, requestId })!.stop_reason;
    expect(stop({ content: 'cut' }, 'length')).toBe('max_tokens');
    expect(stop({ content: null, refusal: 'No.' }, 'stop')).toBe('refusal');
    expect(stop({ content: 'ok' }, 'stop')).toBe('end_turn');
    // Arguments that are not a JSON object stay readable instead of failing the answer.
    const odd = MESSAGES_WIRE.whole(completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1,2' } }] }, 'tool_calls'), { usage, requestId })!;
    expect(odd.content).toEqual([{ type: 'tool_use', id: 'c', name: 'f', input: { arguments: '[1,2' } }]);
  });

  it('streams to the message it would have answered whole, as the Anthropic SDK reads it, for text, refusals, tool calls and empty answers', async () => {
    const answers = [
      completion({ content: 'The capital of France is Paris.' }),
      completion({ content: null, refusal: 'I cannot help with that.' }),
      completion({ content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } }, { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } }] }, 'tool_calls'),
      completion({ content: 'Checking.', tool_calls: [{ id: 'c3', type: 'function', function: { name: 'a', arguments: '{"deep":{"list":[1,2]}}' } }] }, 'tool_calls'),
      completion({ content: '' }),
      completion({ content: 'cut' }, 'length'),
    ];
    for (const body of answers) {
      const writer = MESSAGES_WIRE.stream({ requestId, promptTokens: 117 });
      const sse = completionToChunks(body).map((c) => writer.chunk(c)).join('') + writer.end({ usage, costUsd: 0.001 });
      expect(sse.startsWith('event: message_start\n')).toBe(true);
      expect(JSON.parse(sse.split('\n')[1]!.slice('data: '.length))).toMatchObject({ message: { usage: { input_tokens: 117, output_tokens: 0 } } });
      expect(sse.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
      expect(await sdkMessage(sse)).toEqual(expect.objectContaining(MESSAGES_WIRE.whole(body, { usage, requestId })!));
    }
  });

  it('ends a broken stream with an error event the SDK raises', async () => {
    const writer = MESSAGES_WIRE.stream({ requestId, promptTokens: 117 });
    const chunks = completionToChunks(completion({ content: 'A long story' }));
    const sse = writer.chunk(chunks[0]!) + writer.chunk(chunks[1]!) + writer.broke('socket hang up');
    expect(sse).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"The provider's stream broke off: socket hang up"/);
  });

  it('renders errors in the Messages error shape, by status', () => {
    const body = (code: string) => ({ error: { message: 'Team budget spent.', type: 'budget_exceeded', param: null, code } });
    expect(MESSAGES_WIRE.error(429, body('budget_exceeded'))).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Team budget spent.', code: 'budget_exceeded' } });
    expect(MESSAGES_WIRE.error(403, body('no_matching_rule'))).toMatchObject({ error: { type: 'permission_error' } });
    expect(MESSAGES_WIRE.error(504, body('upstream_timeout'))).toMatchObject({ error: { type: 'timeout_error' } });
    expect(MESSAGES_WIRE.error(502, body('upstream_failed'))).toMatchObject({ error: { type: 'api_error' } });
  });
});
