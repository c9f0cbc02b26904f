import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startOpenAIBatchUpstream, type OpenAIBatchUpstream } from '../support/openai-batch-upstream.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The Messages API has no deferred answers: on a path whose Batch lane defers every request, a
 * Messages call is answered at once while a chat completion is deferred, and asking for the lane
 * by header is refused by name. Against a loopback OpenAI Batch API.
 */
let upstream: OpenAIBatchUpstream;
let h: Harness;

const always = {
  id: 'always-batch',
  name: 'Always batch',
  nodes: [node('req', 'request'), node('lane', 'batch', { trigger: 'always' }), node('go', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 })],
  edges: [edge('req', 'next', 'lane'), edge('lane', 'next', 'go')],
};
const headers = { 'x-tollgate-policy': always.id };

beforeAll(async () => {
  upstream = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream', pollsBeforeDone: 2 });
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { batchMaxSize: 25, batchMaxWaitMs: 200, batchPollMs: 20 });
  expect((await h.post(`/api/policies/${always.id}/publish`, { graph: always })).status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

describe('the Messages API on a batch-lane path', () => {
  it('answers a Messages call at once where a chat completion on the same path is deferred', async () => {
    const deferred = await new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: headers })
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Deferred?' }] })
      .withResponse();
    expect(deferred.response.status).toBe(202);

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: headers });
    const message = await anthropic.messages.create({ model: 'gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'What is the capital of France?' }] });
    expect(message).toMatchObject({ type: 'message', stop_reason: 'end_turn', content: [{ type: 'text', text: 'echo gpt-4o-mini: What is the capital of France?' }] });
  });

  it('refuses x-tollgate-defer on a Messages call with a 400 naming the header', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { ...headers, 'x-tollgate-defer': 'batch' } });
    const error = await anthropic.messages.create({ model: 'gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Later?' }] }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', param: 'x-tollgate-defer', message: expect.stringMatching(/no deferred answers/) } });
  });
});
