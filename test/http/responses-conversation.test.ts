import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { useSurfaceGateway } from '../support/surface-fixtures.js';
import { statusOf } from '../support/sdk-status.js';

/**
 * Responses API conversations through the official SDK: a kept response continued with
 * previous_response_id (the provider, speaking chat completions, is sent the whole conversation),
 * read back, listed and deleted, by the service key that made it alone.
 */
const gateway = useSurfaceGateway();

const client = (apiKey = 'sk-test-service-key') => new OpenAI({ baseURL: `${gateway.h.url}/v1`, apiKey, maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': 'as-asked' } });
type Sent = { role: string; content: unknown }[];
const sent = () => (gateway.upstream.requests.at(-1)!.body as { messages: Sent }).messages;

describe('Responses API conversations', () => {
  it('continues a kept response: the provider is sent the earlier turns (not their instructions), whole and streamed', async () => {
    const first = await client().responses.create({ model: 'gpt-4o-mini', instructions: 'Answer in one line.', input: 'My name is Ada.' });
    expect(first).toMatchObject({ store: true, previous_response_id: null });
    const second = await client().responses.create({ model: 'gpt-4o-mini', instructions: 'Be kind.', input: 'What is my name?', previous_response_id: first.id });
    expect(sent()).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: first.output_text },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect(second).toMatchObject({ store: true, previous_response_id: first.id, instructions: 'Be kind.' });

    const third = await client().responses.stream({ model: 'gpt-4o-mini', input: 'Spell it.', previous_response_id: second.id }).finalResponse();
    expect(sent().map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(sent().at(-2)).toEqual({ role: 'assistant', content: second.output_text });
    expect(third.output_text).toBe('echo gpt-4o-mini: Spell it.');
    // The streamed answer was kept as well.
    await client().responses.create({ model: 'gpt-4o-mini', input: 'Thanks.', previous_response_id: third.id });
    expect(sent()).toHaveLength(7);

    // Each turn is kept once: with the first deleted, the conversation cannot go on, and says why.
    await client().responses.delete(first.id);
    const error = await client().responses.create({ model: 'gpt-4o-mini', input: 'Still there?', previous_response_id: third.id }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'previous_response_id', message: expect.stringContaining(`earlier response of this conversation ("${first.id}") is no longer kept`) });
  });

  it('carries a function call to the next turn: its output alone continues the conversation', async () => {
    const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false }];
    const first = await client().responses.create({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools });
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const second = await client().responses.create({ model: 'gpt-4o-mini', previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }], tools });
    expect(sent()).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ]);
    expect(second.output_text).toBe('It is sunny in Paris.');
  });

  it('reads back, lists and deletes a kept response for its own service key; to another it does not exist', async () => {
    const made = await client().responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'One.' }, { role: 'user', content: [{ type: 'input_text', text: 'Two.' }] }] });
    const read = await client().responses.retrieve(made.id);
    expect(read).toMatchObject({ id: made.id, status: 'completed', output: made.output, usage: made.usage });
    const items = await client().responses.inputItems.list(made.id);
    expect(items.data.map((i) => (i as OpenAI.Responses.ResponseInputMessageItem).content)).toEqual([[{ type: 'input_text', text: 'Two.' }], [{ type: 'input_text', text: 'One.' }]]);
    expect(items.data.every((i) => typeof i.id === 'string' && i.id.startsWith('msg_'))).toBe(true);
    const oldestFirst = await client().responses.inputItems.list(made.id, { order: 'asc', limit: 1 });
    expect(oldestFirst.data.map((i) => i.id)).toEqual([items.data[1]!.id]);

    const other = client('sk-another-service');
    expect(await statusOf(other.responses.retrieve(made.id))).toBe(404);
    expect(await statusOf(other.responses.inputItems.list(made.id))).toBe(404);
    expect(await statusOf(other.responses.delete(made.id))).toBe(404);
    const continued = await other.responses.create({ model: 'gpt-4o-mini', input: 'Go on.', previous_response_id: made.id }).then(() => null, (e: unknown) => e);
    expect(continued).toMatchObject({ status: 400, param: 'previous_response_id', code: 'previous_response_not_found' });

    // Scraped: what this instance keeps, in records and bytes.
    const kept = async () => {
      const text = await (await fetch(`${gateway.h.url}/metrics`)).text();
      return { records: Number(/^tollgate_responses_kept (\d+)$/m.exec(text)?.[1]), bytes: Number(/^tollgate_responses_kept_bytes (\d+)$/m.exec(text)?.[1]) };
    };
    const before = await kept();
    expect(before.records).toBeGreaterThan(0);
    expect(before.bytes).toBeGreaterThan(0);
    expect(await client().responses.delete(made.id)).toEqual({ id: made.id, object: 'response', deleted: true });
    expect((await kept()).records).toBe(before.records - 1);
    expect(await statusOf(client().responses.retrieve(made.id))).toBe(404);
    expect(await statusOf(client().responses.delete(made.id))).toBe(404);
  });

  it('keeps nothing asked with store: false, and says so when it is continued', async () => {
    const unkept = await client().responses.create({ model: 'gpt-4o-mini', input: 'Off the record.', store: false });
    expect(unkept).toMatchObject({ store: false });
    expect(await statusOf(client().responses.retrieve(unkept.id))).toBe(404);
    const error = await client().responses.create({ model: 'gpt-4o-mini', input: 'And?', previous_response_id: unkept.id }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'previous_response_id', message: expect.stringMatching(/not kept/) });
    expect(gateway.upstream.requests).toHaveLength(1);
  });

  it('keeps 50 conversations continued in parallel apart', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `Name${i}`);
    const firsts = await Promise.all(names.map((name) => client().responses.create({ model: 'gpt-4o-mini', input: `I am ${name}.` })));
    const seconds = await Promise.all(firsts.map((first, i) => client().responses.create({ model: 'gpt-4o-mini', input: `Who am I, ${names[i]}?`, previous_response_id: first.id })));
    const continuations = gateway.upstream.requests.slice(50).map((r) => (r.body as { messages: Sent }).messages);
    expect(continuations).toHaveLength(50);
    for (const messages of continuations) {
      const asked = String(messages.at(-1)!.content);
      const name = /Name\d+/.exec(asked)![0];
      expect(messages[0]).toEqual({ role: 'user', content: `I am ${name}.` });
    }
    expect(new Set(seconds.map((s) => s.previous_response_id))).toEqual(new Set(firsts.map((f) => f.id)));
  });
});
