import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { expectBudgetHeld, OUTPUT, REPORT, useSurfaceGateway } from '../support/surface-fixtures.js';

/**
 * POST /v1/responses through the official SDK's `client.responses`: the same pipeline as chat
 * completions (policy, cache, budgets, ledger), answered in the Responses API's shape, against a
 * loopback OpenAI upstream speaking chat completions.
 */
const gateway = useSurfaceGateway();

const client = (policy: string, headers: Record<string, string> = {}) =>
  new OpenAI({ baseURL: `${gateway.h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policy, ...headers } });

describe('POST /v1/responses through the official SDK', () => {
  it('answers a string input with instructions as a response, asking the provider a chat completion, and books it', async () => {
    const { data, response } = await client('as-asked')
      .responses.create({ model: 'gpt-4o-mini', instructions: 'Answer in one line.', input: 'What is the capital of France?', max_output_tokens: 50, temperature: 0.2 })
      .withResponse();
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Answer in one line.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_tokens: 50,
      temperature: 0.2,
    });
    expect(data).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4o-mini', instructions: 'Answer in one line.', max_output_tokens: 50 });
    expect(data.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(data.output_text).toBe('echo gpt-4o-mini: What is the capital of France?');
    // The upstream counts 10 tokens a message and a token a word of the answer.
    expect(data.usage).toMatchObject({ input_tokens: 20, output_tokens: 8, total_tokens: 28 });
    expect(response.headers.get('x-tollgate-rule')).toBe('route');
    // The request id reaches the ledger: feedback on it is booked.
    const requestId = response.headers.get('x-tollgate-request-id')!;
    expect(data.id).toBe(`resp_${requestId.replaceAll('-', '')}`);
    const feedback = await gateway.h.post('/v1/feedback', { requestId, thumbs: 'up' });
    expect(feedback.status).toBe(200);
    // The response's own id names the same request.
    const byResponseId = await gateway.h.post('/v1/feedback', { requestId: data.id, score: 0.5 });
    expect(await byResponseId.json()).toEqual({ requestId, score: 0.5, recorded: true });
  });

  it('streams the answer as Responses events, ending with the usage', async () => {
    const stream = await client('as-asked').responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Name three rivers.' }] }], stream: true });
    const types: string[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: [{ type: 'text', text: 'Name three rivers.' }] }] });
    expect(text).toBe('echo gpt-4o-mini: [{"type":"text","text":"Name three rivers."}]');
    expect([...new Set(types)]).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(completed!.output).toEqual([{ type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }]);
    expect(completed!.usage).toMatchObject({ input_tokens: 10, output_tokens: text.split(' ').length });
  });

  it('calls a function tool, then answers from its output in the next turn, whole and streamed', async () => {
    const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await client('as-asked').responses.create({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools });
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({ tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city' } }] });
    expect(first.output).toEqual([{ type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' }]);

    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const second = await client('as-asked').responses.create({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: 'Weather in Paris?' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
      tools,
    });
    expect(gateway.upstream.requests.at(-1)!.body).toMatchObject({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(second.output_text).toBe('It is sunny in Paris.');

    const streamed = await client('as-asked').responses.stream({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools }).finalResponse();
    expect(streamed.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' })]);
  });

  it('answers a repeat from the cache, whole and streamed, in the same shape', async () => {
    const ask = () => client('cached').responses.create({ model: 'gpt-4o-mini', input: 'What does the refund policy say?' }).withResponse();
    const first = await ask();
    const second = await ask();
    expect([first.response.headers.get('x-tollgate-cache'), second.response.headers.get('x-tollgate-cache')]).toEqual(['miss', 'hit']);
    expect(second.data.output_text).toBe(first.data.output_text);
    expect(gateway.upstream.requests).toHaveLength(1);
    const streamed = await client('cached').responses.stream({ model: 'gpt-4o-mini', input: 'What does the refund policy say?' }).finalResponse();
    expect(streamed.output_text).toBe(first.data.output_text);
    expect(gateway.upstream.requests).toHaveLength(1);
  });

  it('says in the stream when the provider broke off midway: an error event, then the response failed', async () => {
    gateway.upstream.setFault({ cutAfterChunks: 2 });
    const stream = await client('as-asked').responses.create({ model: 'gpt-4o-mini', input: 'Tell me a long story about rivers.', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types).toContain('response.output_text.delta');
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)).toMatchObject({ code: 'stream_interrupted', message: expect.stringMatching(/stream broke off/) });
    expect(events.at(-1)).toMatchObject({ response: { status: 'failed', error: { code: 'server_error' } } });
    // A broken answer is not kept: there is nothing to continue.
    const id = (events[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
    expect(await client('as-asked').responses.retrieve(id).then(() => 200, (e: unknown) => (e as InstanceType<typeof OpenAI.APIError>).status)).toBe(404);
  });

  it('refuses what it cannot serve with a 400 naming the field', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const error = await client('as-asked')
        .responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
        .then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const e = error as InstanceType<typeof OpenAI.APIError>;
      expect(e.status).toBe(400);
      return { param: e.param, message: e.message };
    };
    expect(await refused({ model: 'gpt-4o-mini', input: 'hi', conversation: 'conv_123' })).toMatchObject({ param: 'conversation', message: expect.stringMatching(/previous_response_id/) });
    expect(await refused({ model: 'gpt-4o-mini', input: 'hi', previous_response_id: '' })).toMatchObject({ param: 'previous_response_id', message: expect.stringMatching(/must not be empty/) });
    expect(await refused({ model: 'gpt-4o-mini', input: 'hi', tools: [{ type: 'web_search' }] })).toMatchObject({ param: 'tools[0].type', message: expect.stringMatching(/function tools only/) });
    expect(await refused({ model: 'gpt-4o-mini', input: [{ type: 'function_call_output', output: 'x' }] })).toMatchObject({ param: 'input[0].call_id' });
    expect(await refused({ model: 'gpt-4o-mini', input: [{ role: 'robot', content: 'hi' }] })).toMatchObject({ param: 'input[0].role' });
    expect(await refused({ model: 'gpt-4o-mini', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] })).toMatchObject({
      param: 'input[0].content',
      message: expect.stringMatching(/content\[0\]\.type: .*\(got input_file\)/),
    });
    expect(await refused({ model: 'gpt-4o-mini' })).toMatchObject({ param: 'input', message: expect.stringMatching(/required/) });
    expect(gateway.upstream.requests).toHaveLength(0);
  });

  it('says a response it never kept is not found', async () => {
    const error = await client('as-asked').responses.retrieve('resp_0123').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/not kept/);
  });

  it('holds a team budget under 50 parallel requests: ten or eleven admitted of a ten-request budget, and the ledger books at most the limit plus one', async () => {
    gateway.upstream.setFault({ hangMs: 300 });
    const team = client('team-budget', { 'x-tollgate-tags': 'team=parallel' });
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        team.responses.create({ model: 'metered-4o', input: REPORT, max_output_tokens: OUTPUT }).then(
          () => 200,
          (e: unknown) => (e instanceof OpenAI.APIError ? e.status : -1),
        ),
      ),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - admitted);
    await expectBudgetHeld(gateway.h, admitted);
  });
});
