import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { CreateKeyResponseSchema } from '../../shared/keys-api.js';
import { expectBudgetHeld, OUTPUT, REPORT, useSurfaceGateway } from '../support/surface-fixtures.js';

/**
 * POST /v1/messages through the official Anthropic SDK (`messages.create`, `messages.stream`):
 * the same pipeline as chat completions (policy, cache, budgets, ledger), answered in the Messages
 * API's shape and its error shape, against a loopback OpenAI upstream speaking chat completions.
 */
const gateway = useSurfaceGateway();

const client = (policy: string, headers: Record<string, string> = {}, apiKey = 'sk-test-service-key') =>
  new Anthropic({ baseURL: gateway.h.url, apiKey, maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policy, ...headers } });

const weather: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather by city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];

async function rejection(promise: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  return error as InstanceType<typeof Anthropic.APIError>;
}

describe('POST /v1/messages through the official Anthropic SDK', () => {
  it('answers a message with a system prompt, asking the provider a chat completion, and books it', async () => {
    const { data, response } = await client('as-asked')
      .messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        system: [{ type: 'text', text: 'Answer in one line.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
        stop_sequences: ['\n\n'],
        metadata: { user_id: 'user-42' },
      })
      .withResponse();
    const asked = gateway.upstream.requests.at(-1)!.body;
    expect(asked).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Answer in one line.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_tokens: 50,
      stop: ['\n\n'],
      user: 'user-42',
    });
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-4o-mini', stop_reason: 'end_turn', stop_sequence: null });
    expect(data.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(data.content).toEqual([{ type: 'text', text: 'echo gpt-4o-mini: What is the capital of France?' }]);
    // The upstream counts 10 tokens a message and a token a word of the answer.
    expect(data.usage).toMatchObject({ input_tokens: 20, output_tokens: 8, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
    expect(response.headers.get('x-tollgate-rule')).toBe('route');
    const requestId = response.headers.get('x-tollgate-request-id')!;
    expect(data.id).toBe(`msg_${requestId.replaceAll('-', '')}`);
    // Feedback may name the answer by its message id.
    const feedback = await gateway.h.post('/v1/feedback', { requestId: data.id, thumbs: 'down', label: 'too terse' });
    expect(await feedback.json()).toEqual({ requestId, score: 0, recorded: true });
  });

  it('streams the answer as Messages events, ending with the stop reason and the usage', async () => {
    const stream = client('as-asked').messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'Name three rivers.' }] }] });
    const types: string[] = [];
    let text = '';
    stream.on('streamEvent', (event) => types.push(event.type));
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Name three rivers.' }] });
    expect(text).toBe('echo gpt-4o-mini: Name three rivers.');
    expect([...new Set(types)]).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(final).toMatchObject({ id: expect.stringMatching(/^msg_/), model: 'gpt-4o-mini', stop_reason: 'end_turn', content: [{ type: 'text', text }] });
    expect(final.usage).toMatchObject({ input_tokens: 10, output_tokens: text.split(' ').length });
  });

  it('calls a tool, then answers from its result in the next turn, whole and streamed', async () => {
    const first = await client('as-asked').messages.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: weather, tool_choice: { type: 'auto', disable_parallel_tool_use: true } });
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
    });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);

    const second = await client('as-asked').messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      tools: weather,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] }] },
      ],
    });
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'It is sunny in Paris.' }]);

    const streamed = await client('as-asked').messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: weather }).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);
  });

  it('answers a repeat from the cache, whole and streamed, in the same shape', async () => {
    const ask = () => client('cached').messages.create({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'What does the refund policy say?' }] }).withResponse();
    const first = await ask();
    const second = await ask();
    expect([first.response.headers.get('x-tollgate-cache'), second.response.headers.get('x-tollgate-cache')]).toEqual(['miss', 'hit']);
    expect(second.data.content).toEqual(first.data.content);
    expect(second.data.id).not.toBe(first.data.id);
    expect(gateway.upstream.requests).toHaveLength(1);
    const streamed = await client('cached').messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'What does the refund policy say?' }] }).finalMessage();
    expect(streamed.content).toEqual(first.data.content);
    expect(gateway.upstream.requests).toHaveLength(1);
  });

  it('ends a stream the provider broke off midway with an error event, which the SDK raises', async () => {
    gateway.upstream.setFault({ cutAfterChunks: 2 });
    const stream = client('as-asked').messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Tell me a long story about rivers.' }] });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const error = await stream.finalMessage().then(() => null, (e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(String(error)).toMatch(/stream broke off/);
  });

  it('answers a provider that fails in the Messages error shape, by status', async () => {
    gateway.upstream.setFault({ status: 500 });
    const error = await rejection(client('as-asked').messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(error.status).toBe(502);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'api_error', code: 'upstream_failed', message: expect.stringMatching(/Every provider on this route failed/) } });
  });

  it('refuses what it cannot serve with a 400 invalid_request_error naming the field', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await rejection(client('as-asked').messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming));
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const inner = (error.error as { error: { type: string; message: string; param?: string } }).error;
      expect(inner.type).toBe('invalid_request_error');
      return { param: inner.param, message: inner.message };
    };
    const hi = [{ role: 'user', content: 'hi' }];
    expect(await refused({ model: 'gpt-4o-mini', messages: hi })).toMatchObject({ param: 'max_tokens', message: "'max_tokens' is required" });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: [...hi, { role: 'assistant', content: 'The answer is' }] })).toMatchObject({ param: 'messages', message: expect.stringMatching(/prefilled assistant turn/) });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: hi, mcp_servers: [{ type: 'url', url: 'https://mcp.example.com', name: 'x' }] })).toMatchObject({ param: 'mcp_servers', message: expect.stringMatching(/MCP servers/) });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'system', content: 'be brief' }] })).toMatchObject({ param: 'messages[0].role', message: expect.stringMatching(/system prompt goes in system/) });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x' } }] }] })).toMatchObject({
      param: 'messages[0].content',
      message: expect.stringMatching(/content\[0\]\.type: .*\(got document\)/),
    });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }] })).toMatchObject({
      param: 'messages[0].content[0].type',
      message: "'messages[0].content[0].type': a user turn cannot hold a tool_use block",
    });
    expect(await refused({ model: 'gpt-4o-mini', max_tokens: 10, messages: hi, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toMatchObject({ param: 'tools[0].type', message: expect.stringMatching(/custom tools only/) });
    expect(gateway.upstream.requests).toHaveLength(0);
  });

  it('takes extended thinking and earlier thinking blocks, passing neither to a chat provider', async () => {
    const { data } = await client('as-asked')
      .messages.create({
        model: 'gpt-4o-mini',
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [
          { role: 'user', content: 'Is 17 prime?' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'Check divisors up to 4.', signature: 'sig' }, { type: 'redacted_thinking', data: 'opaque' }, { type: 'text', text: 'Yes.' }] },
          { role: 'user', content: 'And 21?' },
        ],
      })
      .withResponse();
    const asked = gateway.upstream.requests.at(-1)!.body;
    expect((asked as { messages: unknown }).messages).toEqual([
      { role: 'user', content: 'Is 17 prime?' },
      { role: 'assistant', content: 'Yes.' },
      { role: 'user', content: 'And 21?' },
    ]);
    expect(asked).not.toHaveProperty('thinking');
    expect(asked).not.toHaveProperty('reasoning_effort');
    expect(data.content).toEqual([{ type: 'text', text: 'echo gpt-4o-mini: And 21?' }]);
  });

  it('counts a request’s tokens without calling a provider, tools included, and answers bad input and unknown paths in the Messages error shape', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris today?' }];
    const bare = await client('as-asked').messages.countTokens({ model: 'gpt-4o-mini', messages });
    const withTools = await client('as-asked').messages.countTokens({ model: 'gpt-4o-mini', system: 'Be brief.', messages, tools: weather });
    expect(bare.input_tokens).toBe(countPromptTokens([{ role: 'user', content: 'What is the weather in Paris today?' }]));
    expect(withTools.input_tokens).toBeGreaterThan(bare.input_tokens + 10);
    // A history that ends in the assistant's answer is counted, though it could not be asked.
    const history = await client('as-asked').messages.countTokens({ model: 'gpt-4o-mini', messages: [...messages, { role: 'assistant', content: 'Sunny.' }] });
    expect(history.input_tokens).toBe(countPromptTokens([{ role: 'user', content: 'What is the weather in Paris today?' }, { role: 'assistant', content: 'Sunny.' }]));
    expect(gateway.upstream.requests).toHaveLength(0);

    const bad = await rejection(client('as-asked').messages.countTokens({ model: 'gpt-4o-mini', messages: [] }));
    expect(bad.status).toBe(400);
    expect(bad.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', param: 'messages' } });
    const unknown = await fetch(`${gateway.h.url}/v1/messages/batches`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: 'No route for GET /v1/messages/batches' } });
  });

  it('says the prompt’s tokens in message_start, where some clients read them, before the provider’s count ends the stream', async () => {
    const events: Anthropic.MessageStreamEvent[] = [];
    const stream = client('as-asked').messages.stream({ model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Name three rivers.' }] });
    // A copy: the SDK builds its message on the message_start event's own object.
    stream.on('streamEvent', (event) => events.push(structuredClone(event)));
    const final = await stream.finalMessage();
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage.input_tokens).toBe(countPromptTokens([{ role: 'user', content: 'Name three rivers.' }]));
    // The upstream's own count (10 a message) is what the final message and the ledger keep.
    expect(final.usage.input_tokens).toBe(10);
  });

  it('holds a team budget under 50 parallel requests: ten or eleven admitted of a ten-request budget, the rest a rate_limit_error, and the ledger books at most the limit plus one', async () => {
    gateway.upstream.setFault({ hangMs: 300 });
    const team = client('team-budget', { 'x-tollgate-tags': 'team=parallel' });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        team.messages.create({ model: 'metered-4o', max_tokens: OUTPUT, messages: [{ role: 'user', content: REPORT }] }).then(
          () => ({ status: 200, type: 'message' }),
          (e: unknown) => (e instanceof Anthropic.APIError ? { status: e.status, type: (e.error as { error?: { type?: string } }).error?.type } : { status: -1, type: String(e) }),
        ),
      ),
    );
    const admitted = outcomes.filter((o) => o.status === 200).length;
    expect(outcomes.filter((o) => o.status === 429 && o.type === 'rate_limit_error')).toHaveLength(50 - admitted);
    await expectBudgetHeld(gateway.h, admitted);
  });

  // Last: issuing a key puts keys in force for the rest of this server's life.
  it('takes a service key as x-api-key, as the SDK sends it, and refuses a missing one with an authentication_error', async () => {
    const issued = await gateway.h.post('/api/keys', { name: 'claude tools', tags: { team: 'agents' } });
    expect(issued.status).toBe(201);
    const { key, id } = CreateKeyResponseSchema.parse(await issued.json());
    const { response } = await client('as-asked', {}, key).messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-tollgate-request-id');
    let booked;
    for await (const record of readLedger(path.join(gateway.h.dataDir, 'ledger'), { onSkip: () => {} })) if (record.id === requestId) booked = record;
    expect(booked).toMatchObject({ serviceKey: id, tags: { team: 'agents' } });

    const wrong = await rejection(client('as-asked', {}, 'tg_' + 'A'.repeat(32)).messages.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(wrong.error).toMatchObject({ type: 'error', error: { type: 'authentication_error', code: 'invalid_api_key' } });
  });
});
