import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startOpenAIBatchUpstream, type OpenAIBatchUpstream } from '../support/openai-batch-upstream.js';
import { startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';
import { statusOf } from '../support/sdk-status.js';

/**
 * `background: true` on /v1/responses is the batch lane: where the policy's path has a Batch lane
 * node the response comes back queued, and `responses.retrieve` reads it from the job until it is
 * completed, against a loopback OpenAI Batch API.
 */
let upstream: OpenAIBatchUpstream;
let h: Harness;

const policy = (id: string, batch: boolean) => ({
  id,
  name: id,
  nodes: [node('req', 'request'), ...(batch ? [node('lane', 'batch', { trigger: 'header' })] : []), node('go', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 })],
  edges: batch ? [edge('req', 'next', 'lane'), edge('lane', 'next', 'go')] : [edge('req', 'next', 'go')],
});

const client = (policyId: string, key = 'sk-test-service-key') => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: key, maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policyId } });

beforeAll(async () => {
  upstream = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream', pollsBeforeDone: 2 });
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { batchMaxSize: 25, batchMaxWaitMs: 200, batchPollMs: 20 });
  for (const graph of [policy('lane', true), policy('no-lane', false)]) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

describe('background responses on the batch lane', () => {
  it('answers queued, goes out in a batch, and is read back completed by its id', async () => {
    const { data: queued, response } = await client('lane').responses.create({ model: 'gpt-4o', input: 'What is the capital of France?', background: true }).withResponse();
    expect(response.status).toBe(200);
    expect(queued).toMatchObject({ object: 'response', status: 'queued', background: true, output: [] });
    expect(response.headers.get('location')).toBe(`/v1/responses/${queued.id}`);
    expect(queued.id).toBe(`resp_${response.headers.get('x-tollgate-request-id')!.replaceAll('-', '')}`);

    const done = await waitFor(async () => {
      const read = await client('lane').responses.retrieve(queued.id);
      expect(['queued', 'in_progress', 'completed']).toContain(read.status);
      return read.status === 'completed' ? read : undefined;
    }, 200, 25);
    expect(done).toMatchObject({ id: queued.id, background: true, model: 'gpt-4o-mini' });
    expect(done.output_text).toBe('echo gpt-4o-mini: What is the capital of France?');
    // The fake counts 10 tokens a message and a token a word of the answer.
    expect(done.usage).toMatchObject({ input_tokens: 10, output_tokens: 8 });
    expect(upstream.batches.flatMap((b) => b.lines.map((l) => l.url))).toContain('/v1/chat/completions');
  });

  it('shows a background response to the service that asked only', async () => {
    const queued = await client('lane').responses.create({ model: 'gpt-4o', input: 'Whose is this?', background: true });
    const error = await client('lane', 'sk-another-service').responses.retrieve(queued.id).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('keeps a background response, so a conversation continues from it once it is completed, and not before', async () => {
    const lane = client('lane');
    const { data: queued, response: accepted } = await lane.responses.create({ model: 'gpt-4o', input: 'Name a red fruit.', background: true, instructions: 'Be brief.', metadata: { ticket: 'T-7' } }).withResponse();
    const job = `${h.url}/v1/tollgate/jobs/${accepted.headers.get('x-tollgate-request-id')}`;
    const jobStatus = async () => (await fetch(job, { headers: { authorization: 'Bearer sk-test-service-key' } })).status;
    expect(queued).toMatchObject({ status: 'queued', store: true });
    const early = await lane.responses.create({ model: 'gpt-4o', input: 'And a yellow one?', previous_response_id: queued.id }).then(() => null, (e: unknown) => e);
    expect(early).toBeInstanceOf(OpenAI.BadRequestError);
    expect(early).toMatchObject({ status: 400, code: 'previous_response_in_progress', param: 'previous_response_id' });

    const done = await waitFor(async () => {
      const read = await lane.responses.retrieve(queued.id);
      return read.status === 'completed' ? read : undefined;
    }, 200, 25);
    // Read back from the kept record: the request's own settings, not defaults.
    expect(done).toMatchObject({ instructions: 'Be brief.', metadata: { ticket: 'T-7' }, background: true, store: true });
    expect(done.output_text).toBe('echo gpt-4o-mini: Name a red fruit.');
    const items = await lane.responses.inputItems.list(queued.id);
    expect(items.data.map((item) => (item as { content?: unknown }).content)).toEqual([[{ type: 'input_text', text: 'Name a red fruit.' }]]);

    // Not deferred (no header on a header-triggered lane): answered at once, with the background turn before it.
    const next = await lane.responses.create({ model: 'gpt-4o', input: 'And a yellow one?', previous_response_id: queued.id });
    expect(next.previous_response_id).toBe(queued.id);
    // Three messages (the background question, its answer, this one), 10 tokens each to the fake.
    expect(next.usage).toMatchObject({ input_tokens: 30 });

    // Deleted, it is gone: not read back from its batch job, nor is the job shown.
    expect(await jobStatus()).toBe(200);
    await lane.responses.delete(queued.id);
    expect(await statusOf(lane.responses.retrieve(queued.id))).toBe(404);
    expect(await jobStatus()).toBe(404);
  });

  it('keeps nothing of a background response sent with store: false', async () => {
    const queued = await client('lane').responses.create({ model: 'gpt-4o', input: 'Forget me.', background: true, store: false });
    expect(queued).toMatchObject({ status: 'queued', store: false });
    await waitFor(async () => ((await client('lane').responses.retrieve(queued.id)).status === 'completed' ? true : undefined), 200, 25);
    const error = await client('lane').responses.create({ model: 'gpt-4o', input: 'Again?', previous_response_id: queued.id }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'previous_response_not_found' });
  });

  it('answers at once where the path has no batch lane: the response is already completed', async () => {
    const answered = await client('no-lane').responses.create({ model: 'gpt-4o', input: 'Hello there', background: true });
    expect(answered).toMatchObject({ status: 'completed', background: true });
    expect(answered.output_text).toBe('echo gpt-4o-mini: Hello there');
  });
});
