import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startAnthropicBatchUpstream, type AnthropicBatchUpstream } from '../support/anthropic-batch-upstream.js';
import { ledgerRecord } from '../ledger/record-fixture.js';
import { copyExampleRules } from '../support/example-rules.js';
import { startOpenAIBatchUpstream, type OpenAIBatchUpstream } from '../support/openai-batch-upstream.js';
import { startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

const batchPolicy = (id: string, route: Record<string, unknown>, batch: Record<string, unknown> | null) => ({
  id,
  name: id,
  nodes: [node('req', 'request'), ...(batch ? [node('lane', 'batch', batch)] : []), node('go', 'route', { retries: 0, ...route })],
  edges: batch ? [edge('req', 'next', 'lane'), edge('lane', 'next', 'go')] : [edge('req', 'next', 'go')],
});

const MINI = { model: 'gpt-4o-mini', provider: 'openai' };
const SONNET = { model: 'claude-sonnet-4-20250514', provider: 'anthropic' };

interface Job {
  id: string;
  status: string;
  poll: string;
  batch_id: string | null;
  response?: { object: string; choices: { message: { content: string } }[]; usage: { prompt_tokens: number; completion_tokens: number } };
}

async function publish(url: string, graph: ReturnType<typeof batchPolicy>): Promise<void> {
  const response = await fetch(`${url}/api/policies/${graph.id}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ graph }) });
  expect(response.status).toBe(200);
}

/** Through the official SDK, as a service would call; a deferred answer is the 202 job body. */
async function ask(client: OpenAI, policy: string, question: string, defer = true) {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-4o', messages: [{ role: 'user', content: question }] }, { headers: { 'x-tollgate-policy': policy, ...(defer ? { 'x-tollgate-defer': 'batch' } : {}) } })
    .withResponse();
  return { status: response.status, body: data as unknown as Job & { choices?: { message: { content: string } }[] }, location: response.headers.get('location') };
}

async function pollDone(url: string, job: { poll: string }, key = 'sk-test-service-key'): Promise<Job> {
  return waitFor(async () => {
    const body = (await (await fetch(`${url}${job.poll}`, { headers: { authorization: `Bearer ${key}` } })).json()) as Job;
    return body.status === 'completed' || body.status === 'failed' ? body : undefined;
  }, 200, 25);
}

interface Booked {
  id: string;
  status: number;
  error?: string;
  servedModel: string;
  costUsd: number;
  savedUsd: number;
  batchSavedUsd: number;
}

async function ledger(dataDir: string): Promise<Booked[]> {
  const day = new Date().toISOString().slice(0, 10);
  const text = await readFile(path.join(dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8').catch(() => '');
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('the batch lane, against loopback OpenAI Batch and Anthropic Message Batches servers', () => {
  let openai: OpenAIBatchUpstream;
  let anthropic: AnthropicBatchUpstream;
  let hook: http.Server;
  const hooked: Job[] = [];
  let h: Harness;

  beforeAll(async () => {
    openai = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream', pollsBeforeDone: 2 });
    anthropic = await startAnthropicBatchUpstream({ apiKey: 'sk-ant-upstream', pollsBeforeDone: 1 });
    hook = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += String(c)));
      req.on('end', () => {
        hooked.push(JSON.parse(text) as Job);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    h = await startHarness(
      {
        OPENAI_BASE_URL: openai.url,
        OPENAI_API_KEY: 'sk-upstream',
        ANTHROPIC_BASE_URL: anthropic.url,
        ANTHROPIC_API_KEY: 'sk-ant-upstream',
        BATCH_DONE_HOOK: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/done`,
      },
      { batchMaxSize: 25, batchMaxWaitMs: 300, batchPollMs: 20 },
    );
    await publish(h.url, batchPolicy('batch-asked', MINI, { trigger: 'header' }));
    await publish(h.url, batchPolicy('batch-always', SONNET, { trigger: 'always', webhookUrlEnv: 'BATCH_DONE_HOOK' }));
    await publish(h.url, batchPolicy('no-batch', MINI, null));
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([openai.close(), anthropic.close(), new Promise((r) => hook.close(r))]);
  });

  it('answers 202 with a job for OpenAI, sends it as a JSONL file and a /v1/batches batch, and the poll returns the chat completion', async () => {
    const accepted = await ask(h.client, 'batch-asked', 'What is the capital of France?');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'queued', poll: `/v1/tollgate/jobs/${accepted.body.id}` });
    expect(accepted.location).toBe(accepted.body.poll);

    const done = await pollDone(h.url, accepted.body);
    expect(done.status).toBe('completed');
    expect(done.response).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'echo gpt-4o-mini: What is the capital of France?' } }] });
    const batch = openai.batches.find((b) => b.id === done.batch_id)!;
    expect(batch).toMatchObject({ endpoint: '/v1/chat/completions', completionWindow: '24h' });
    expect(batch.lines).toEqual([{ custom_id: accepted.body.id, method: 'POST', url: '/v1/chat/completions', body: expect.objectContaining({ model: 'gpt-4o-mini', stream: false }) }]);
  });

  it('books the batch price (half of gpt-4o-mini) with the discount as its own saving', async () => {
    const accepted = await ask(h.client, 'batch-asked', 'Price me');
    const done = await pollDone(h.url, accepted.body);
    const record = await waitFor(async () => (await ledger(h.dataDir)).find((r) => r.id === accepted.body.id));
    const { prompt_tokens: input, completion_tokens: output } = done.response!.usage;
    const sync = (input * 0.15 + output * 0.6) / 1e6;
    expect(record).toMatchObject({ servedModel: 'gpt-4o-mini', provider: 'openai', status: 200, batchId: done.batch_id, inputTokens: input, outputTokens: output });
    expect(record.costUsd).toBeCloseTo(sync / 2, 12);
    expect(record.batchSavedUsd).toBeCloseTo(sync / 2, 12);
    // Routing gpt-4o to gpt-4o-mini saved too, counted apart at the synchronous prices.
    expect(record.savedUsd).toBeCloseTo((input * 2.5 + output * 10) / 1e6 - sync, 12);
  });

  it('Anthropic: a node that always defers sends a Message Batch, the poll returns an OpenAI-shaped answer, and the webhook gets the finished job', async () => {
    const accepted = await ask(h.client, 'batch-always', 'Bonjour', false);
    expect(accepted.status).toBe(202);
    const done = await pollDone(h.url, accepted.body);
    expect(done.response).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'echo claude-sonnet-4-20250514: Bonjour' } }] });
    const batch = anthropic.batches.find((b) => b.id === done.batch_id)!;
    expect(batch.requests).toEqual([{ custom_id: accepted.body.id, params: expect.objectContaining({ model: 'claude-sonnet-4-20250514', max_tokens: 4096 }) }]);
    const record = await waitFor(async () => (await ledger(h.dataDir)).find((r) => r.id === accepted.body.id));
    const { prompt_tokens: input, completion_tokens: output } = done.response!.usage;
    expect(record.costUsd).toBeCloseTo((input * 3 + output * 15) / 2e6, 12);
    const delivered = await waitFor(async () => hooked.find((j) => j.id === accepted.body.id));
    expect(delivered).toMatchObject({ status: 'completed', response: { object: 'chat.completion' } });
  });

  it('retries a submission the provider refused, and fails by name a request the batch answered with an error', async () => {
    const uploads = () => openai.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files').length;
    const before = uploads();
    openai.setFault({ status: 500, times: 1 });
    const retried = await ask(h.client, 'batch-asked', 'after a 500');
    expect((await pollDone(h.url, retried.body)).response?.choices[0]?.message.content).toBe('echo gpt-4o-mini: after a 500');
    expect(uploads() - before).toBe(2);

    const refused = await ask(h.client, 'batch-always', 'please FAIL', false);
    const failed = await pollDone(h.url, refused.body);
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'messages: the request was refused (injected)', code: 'batch_request_failed' } });
    const record = await waitFor(async () => (await ledger(h.dataDir)).find((r) => r.id === refused.body.id));
    expect(record).toMatchObject({ status: 502, costUsd: 0, error: 'messages: the request was refused (injected)' });
  });

  it('ignores the header where the path has no batch node, answers at once without it, and refuses another value with the header named', async () => {
    const plain = await ask(h.client, 'no-batch', 'Now please');
    expect(plain.status).toBe(200);
    expect(plain.body.choices?.[0]?.message.content).toBe('echo gpt-4o-mini: Now please');
    const notAsked = await ask(h.client, 'batch-asked', 'Now too', false);
    expect(notAsked.status).toBe(200);
    const bad = await h.post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { 'x-tollgate-policy': 'batch-asked', 'x-tollgate-defer': 'later' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'x-tollgate-defer', code: 'invalid_header' } });
    const stream = await h.post('/v1/chat/completions', { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] }, { 'x-tollgate-policy': 'batch-always' });
    expect(stream.status).toBe(400);
    expect(await stream.json()).toMatchObject({ error: { param: 'stream' } });
  });

  it('shows a job only to the service key that sent it', async () => {
    const accepted = await ask(h.client, 'batch-asked', 'mine');
    const other = await fetch(`${h.url}${accepted.body.poll}`, { headers: { authorization: 'Bearer sk-someone-else' } });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ error: { code: 'job_not_found' } });
    expect((await pollDone(h.url, accepted.body)).status).toBe('completed');
  });

});

describe('the batch lane under 50 parallel deferred requests', () => {
  let openai: OpenAIBatchUpstream;
  let h: Harness;

  // A wait longer than the test: the queue can only flush by size, so the batches are exactly known.
  beforeAll(async () => {
    openai = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream' });
    h = await startHarness({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream' }, { batchMaxSize: 25, batchMaxWaitMs: 3_600_000, batchPollMs: 20 });
    await publish(h.url, batchPolicy('batch-asked', MINI, { trigger: 'header' }));
  });
  afterAll(async () => {
    await h.close();
    await openai.close();
  });

  it('sends 50 parallel deferred requests as two full batches of 25, and every one completes and is booked at the batch price', async () => {
    const before = openai.batches.length;
    const accepted = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(h.client, 'batch-asked', `parallel question ${i}`)));
    expect(accepted.every((a) => a.status === 202)).toBe(true);
    const done = await Promise.all(accepted.map((a) => pollDone(h.url, a.body)));
    done.forEach((d, i) => expect(d.response?.choices[0]?.message.content).toBe(`echo gpt-4o-mini: parallel question ${i}`));
    const batches = openai.batches.slice(before);
    expect(batches.map((b) => b.lines.length)).toEqual([25, 25]);
    expect(batches.flatMap((b) => b.lines.map((l) => l.custom_id)).sort()).toEqual(accepted.map((a) => a.body.id).sort());
    const ids = new Set(accepted.map((a) => a.body.id));
    const records = await waitFor(async () => {
      const mine = (await ledger(h.dataDir)).filter((r) => ids.has(r.id));
      return mine.length === 50 ? mine : undefined;
    });
    expect(records.every((r) => r.batchSavedUsd > 0 && Math.abs(r.costUsd - r.batchSavedUsd) < 1e-12)).toBe(true);
    const usage = (await (await fetch(`${h.url}/api/usage?groupBy=policy`)).json()) as { groups: { key: string; batchRequests: number; batchSavedUsd: number }[] };
    const group = usage.groups.find((g) => g.key === 'batch-asked')!;
    expect(group.batchRequests).toBe(50);
    expect(group.batchSavedUsd).toBeGreaterThan(0);
  });
});

describe('the batch lane across a restart', () => {
  let openai: OpenAIBatchUpstream;
  let root: string;

  beforeAll(async () => {
    openai = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream' });
    root = await mkdtemp(path.join(tmpdir(), 'tollgate-batch-'));
    await copyExampleRules(path.join(root, 'rules'));
  });
  afterAll(async () => {
    await openai.close();
    await rm(root, { recursive: true, force: true });
  });

  const start = (batchMaxWaitMs: number, batchPollMs = 20, batchMaxSize = 100): Promise<RunningServer> =>
    startServer(
      configFromEnv({}, { rulesDir: path.join(root, 'rules'), dataDir: path.join(root, 'data'), editorDir: path.join(root, 'none'), logLevel: 'silent', ledgerFsyncMs: 0, watchRules: false, batchMaxWaitMs, batchPollMs, batchMaxSize }),
      { host: '127.0.0.1', port: 0 },
      { env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream' } },
    );

  it('loses none of the jobs still queued when the runtime stops: the next start sends and answers every one', async () => {
    const first = await start(3_600_000);
    await publish(first.url, batchPolicy('batch-asked', MINI, { trigger: 'header' }));
    const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
    const accepted = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(client, 'batch-asked', `kept ${i}`)));
    expect(accepted.every((a) => a.status === 202)).toBe(true);
    await first.close();
    expect(openai.batches).toHaveLength(0);

    const second = await start(10);
    try {
      const done = await Promise.all(accepted.map((a) => pollDone(second.url, a.body)));
      done.forEach((d, i) => expect(d.response?.choices[0]?.message.content).toBe(`echo gpt-4o-mini: kept ${i}`));
      expect(openai.batches).toHaveLength(1);
      expect(openai.batches[0]!.lines.map((l) => l.custom_id)).toEqual(accepted.map((a) => a.body.id));
      const booked = (await ledger(path.join(root, 'data'))).filter((r) => accepted.some((a) => a.body.id === r.id));
      expect(booked).toHaveLength(8);
    } finally {
      await second.close();
    }
  });

  it('polls again after a restart a batch that was sent but not yet answered, and books each answer once (even one booked just before a crash)', async () => {
    // Sent by size the moment the third arrives, then never polled by this process.
    const first = await start(3_600_000, 3_600_000, 3);
    await publish(first.url, batchPolicy('batch-asked', MINI, { trigger: 'header' }));
    const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
    const before = openai.batches.length;
    const accepted = await Promise.all(Array.from({ length: 3 }, (_, i) => ask(client, 'batch-asked', `in flight ${i}`)));
    const job = await waitFor(async () => {
      const body = (await (await fetch(`${first.url}${accepted[0]!.body.poll}`, { headers: { authorization: 'Bearer sk-test-service-key' } })).json()) as Job;
      return body.status === 'submitted' ? body : undefined;
    });
    expect(job.batch_id).toBe(openai.batches.at(-1)!.id);
    await first.close();
    // As if the runtime had booked the first answer and died before journaling it.
    const day = new Date().toISOString().slice(0, 10);
    const early = ledgerRecord({ id: accepted[0]!.body.id, time: new Date().toISOString(), costUsd: 0.123, costMicros: 123_000 });
    await appendFile(path.join(root, 'data', 'ledger', `usage-${day}.jsonl`), JSON.stringify(early) + '\n');

    const second = await start(10);
    try {
      const done = await Promise.all(accepted.map((a) => pollDone(second.url, a.body)));
      expect(done.map((d) => d.status)).toEqual(['completed', 'completed', 'completed']);
      expect(openai.batches.length - before).toBe(1);
      const booked = (await ledger(path.join(root, 'data'))).filter((r) => accepted.some((a) => a.body.id === r.id));
      expect(booked).toHaveLength(3);
      expect(booked.find((r) => r.id === accepted[0]!.body.id)?.costUsd).toBe(0.123);
      expect((done[0] as Job & { cost_usd: string }).cost_usd).toBe('0.123');
    } finally {
      await second.close();
    }
  });
});
