import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, toAnthropicRequest } from '../../server/providers/anthropic-request.js';
import { describeAnthropicError, finishReason, toChatCompletion, usageFromAnthropic } from '../../server/providers/anthropic-response.js';
import { AnthropicChunkTranslator } from '../../server/providers/anthropic-stream.js';
import { ProviderError } from '../../server/providers/provider.js';
import { assembleChunks } from '../support/collect-stream.js';

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('OpenAI request → Messages request', () => {
  it('moves system and developer messages to `system` and defaults max_tokens', () => {
    const body = toAnthropicRequest(
      { model: 'x', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'developer', content: 'Use French.' }, { role: 'user', content: 'Hi' }] },
      'claude-3-5-haiku-20241022',
      false,
    );
    expect(body).toEqual({
      model: 'claude-3-5-haiku-20241022',
      system: 'Be brief.\n\nUse French.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
    });
  });

  it('maps max_completion_tokens, temperature (clamped to 1), top_p, stop and user', () => {
    const body = toAnthropicRequest(
      { model: 'x', messages: [{ role: 'user', content: 'Hi' }], max_completion_tokens: 50, max_tokens: 99, temperature: 1.6, top_p: 0.9, stop: ['END', ''], user: 'u-1' },
      'c',
      true,
    );
    expect(body).toMatchObject({ max_tokens: 50, temperature: 1, top_p: 0.9, stop_sequences: ['END'], metadata: { user_id: 'u-1' }, stream: true });
  });

  it('merges consecutive messages of one role so turns alternate', () => {
    const body = toAnthropicRequest(
      { model: 'x', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }] },
      'c',
      false,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
    ]);
  });

  it('turns data-URL and http image parts into base64 and url image sources', () => {
    const request: ChatCompletionRequest = {
      model: 'x',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    };
    const [message] = toAnthropicRequest(request, 'c', false).messages as { content: unknown[] }[];
    expect(message!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('refuses content parts Anthropic cannot take with a 400 naming the part', () => {
    const request: ChatCompletionRequest = { model: 'x', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] };
    let thrown: unknown;
    try {
      toAnthropicRequest(request, 'c', false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ kind: 'http', status: 400, retryable: false, body: { error: { param: 'messages[0].content[0]' } } });
  });

  it('translates tools, tool_choice, assistant tool calls and tool results', () => {
    const body = toAnthropicRequest(
      {
        model: 'x',
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24C' }] },
        ],
      },
      'c',
      false,
    );
    expect(body.tools).toEqual([{ name: 'get_weather', description: 'Weather by city', input_schema: weatherTool.function.parameters }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '24C' }] },
        ],
      },
    ]);
  });

  it('maps the tool_choice strings required and none', () => {
    const base = { model: 'x', tools: [weatherTool], messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(toAnthropicRequest({ ...base, tool_choice: 'required' }, 'c', false).tool_choice).toEqual({ type: 'any' });
    expect(toAnthropicRequest({ ...base, tool_choice: 'none' }, 'c', false).tool_choice).toEqual({ type: 'none' });
  });
});

describe('Messages response → chat.completion', () => {
  it('joins text, turns tool_use into tool_calls and maps usage including cache reads', () => {
    const body = toChatCompletion(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-20250514',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 20, output_tokens: 7, cache_read_input_tokens: 100 },
      },
      1_700_000_000,
    );
    expect(body).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-20250514',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            refusal: null,
            tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 100 } },
    });
  });

  it('maps every stop reason to an OpenAI finish reason', () => {
    expect(finishReason('end_turn')).toBe('stop');
    expect(finishReason('stop_sequence')).toBe('stop');
    expect(finishReason('max_tokens')).toBe('length');
    expect(finishReason('tool_use')).toBe('tool_calls');
    expect(finishReason('refusal')).toBe('content_filter');
    expect(finishReason(null)).toBeNull();
  });

  it('counts cache writes as input, only cache reads as cached, and the writes apart', () => {
    expect(usageFromAnthropic({ input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: 50, cache_read_input_tokens: 30 })).toEqual({
      inputTokens: 85,
      outputTokens: 2,
      cachedInputTokens: 30,
      cacheWriteTokens: 50,
    });
  });

  it('turns an Anthropic error body into an OpenAI-shaped one', () => {
    const failure = describeAnthropicError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, '');
    expect(failure).toEqual({ message: 'overloaded_error: Overloaded', body: { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null } } });
  });
});

describe('Messages stream events → chat.completion.chunk', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_9', model: 'claude-x', usage: { input_tokens: 12, output_tokens: 1 } } },
    { type: 'ping' },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking ' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'now.' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} } },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
    { type: 'content_block_stop', index: 2 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } },
    { type: 'message_stop' },
  ];

  it('streams text and tool-call deltas at consistent tool indexes, then finish reason and usage', () => {
    const translator = new AnthropicChunkTranslator();
    const chunks = events.flatMap((e) => translator.translate(e));
    expect(chunks[0]).toMatchObject({ id: 'msg_9', object: 'chat.completion.chunk', model: 'claude-x', choices: [{ delta: { role: 'assistant' } }] });
    expect(assembleChunks(chunks)).toEqual({
      content: 'Checking now.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'toolu_b', name: 'get_time', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
    });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } });
    expect(translator.done).toBe(true);
    expect(translator.usage()).toEqual({ inputTokens: 12, outputTokens: 30, cachedInputTokens: 0 });
  });

  it('throws an error event as a ProviderError with the status Anthropic would have used', () => {
    const translator = new AnthropicChunkTranslator();
    expect(() => translator.translate({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toThrow(
      expect.objectContaining({ kind: 'http', status: 529, retryable: true }),
    );
  });
});
