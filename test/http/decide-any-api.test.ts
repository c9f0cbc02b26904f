import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import { countTextTokens } from '../../server/facts/tokens.js';
import { startHarness, type Harness } from './harness.js';

/**
 * /v1/decide and /api/simulate take a body in any shape the runtime answers (?api= on decide,
 * `api` in the simulator's body): a Messages or Responses body is decided exactly as the chat
 * completion its own endpoint would make of it, a Responses continuation with its earlier turns.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const QUESTION = 'Analyze the trade-offs between event sourcing and CRUD for a billing system, step by step.';
const chat = { model: 'gpt-4o', max_tokens: 300, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: QUESTION }] };

async function decide(body: unknown, api?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: DecideResponse & { error?: { param: string | null; message: string } } }> {
  const response = await h.post(`/v1/decide${api ? `?api=${api}` : ''}`, body, { 'x-tollgate-policy': 'cost-router', ...headers });
  return { status: response.status, body: await response.json() };
}

/** What must agree between two decisions of the same request. */
const decided = (d: DecideResponse) => ({ rule: d.rule, model: d.model, estimatedCostUsd: d.estimatedCostUsd, path: d.path, promptTokens: d.facts.promptTokens, maxTokens: d.facts.maxTokens });

describe('a decision on any API’s body', () => {
  it('decides a Messages body and a Responses body as the chat completion they become', async () => {
    const asChat = await decide(chat);
    expect(asChat.status).toBe(200);
    const asMessages = await decide({ model: 'gpt-4o', max_tokens: 300, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }] }] }, 'messages');
    const asResponses = await decide({ model: 'gpt-4o', max_output_tokens: 300, instructions: 'Be brief.', input: QUESTION }, 'responses');
    expect(asMessages.status).toBe(200);
    expect(asResponses.status).toBe(200);
    expect(decided(asMessages.body)).toEqual(decided(asChat.body));
    expect(decided(asResponses.body)).toEqual(decided(asChat.body));
  });

  it('decides an embeddings body on its own facts: the inputs’ tokens, no output, the model asked for whatever the route names', async () => {
    const texts = ['How do I reset my password?', 'Where is my invoice?'];
    const { status, body } = await decide({ model: 'text-embedding-3-small', input: texts }, 'embeddings');
    expect(status).toBe(200);
    const tokens = texts.reduce((n, t) => n + countTextTokens(t), 0);
    expect(body).toMatchObject({ model: 'text-embedding-3-small', provider: 'openai', facts: { promptTokens: tokens, maxTokens: 0, messageCount: 2 } });
    expect(body.estimatedCostUsd).toBeCloseTo((tokens * 0.02) / 1e6, 12);
    // The route that matched names a chat model; the embedding model answers instead.
    expect(body.actions.find((a) => a.type === 'route')).toMatchObject({ model: expect.not.stringMatching(/embedding/) });
  });

  it('decides a Responses continuation on the whole conversation, for the key that kept it', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
    const first = await client.responses.create({ model: 'gpt-4o', input: 'My name is Ada.' });
    const continued = await decide({ model: 'gpt-4o', input: 'What is my name?', previous_response_id: first.id }, 'responses', { authorization: 'Bearer sk-test-service-key' });
    const whole = await decide({ model: 'gpt-4o', messages: [{ role: 'user', content: 'My name is Ada.' }, { role: 'assistant', content: first.output_text }, { role: 'user', content: 'What is my name?' }] });
    expect(decided(continued.body)).toEqual(decided(whole.body));
    // Another key's decision cannot read it.
    const other = await decide({ model: 'gpt-4o', input: 'What is my name?', previous_response_id: first.id }, 'responses', { authorization: 'Bearer sk-someone-else' });
    expect(other).toMatchObject({ status: 400, body: { error: { param: 'previous_response_id' } } });
  });

  it('names the field at fault, in the body’s own API and in the api parameter', async () => {
    expect(await decide({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }, 'messages')).toMatchObject({ status: 400, body: { error: { param: 'max_tokens' } } });
    expect(await decide({ model: 'gpt-4o', input: [] }, 'responses')).toMatchObject({ status: 400, body: { error: { param: 'input' } } });
    expect(await decide(chat, 'completions')).toMatchObject({ status: 400, body: { error: { param: 'api', message: expect.stringContaining('chat, responses, messages or embeddings') } } });
    expect(await decide({ model: 'text-embedding-3-small', input: [] }, 'embeddings')).toMatchObject({ status: 400, body: { error: { param: 'input' } } });
  });

  it('simulates a Messages body on a graph in the editor’s simulator', async () => {
    const graph = (await (await fetch(`${h.url}/api/policies/cost-router`)).json()).ruleFile.graph;
    const simulate = (body: Record<string, unknown>) => h.post('/api/simulate', { graph, ...body });
    const asChat = await (await simulate({ request: chat })).json();
    const messages = await simulate({ api: 'messages', request: { model: 'gpt-4o', max_tokens: 300, system: 'Be brief.', messages: [{ role: 'user', content: QUESTION }] } });
    expect(messages.status).toBe(200);
    expect(decided(await messages.json())).toEqual(decided(asChat));
    const bad = await simulate({ api: 'messages', request: { model: 'gpt-4o', messages: [] } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ field: 'request.max_tokens' });
  });
});
