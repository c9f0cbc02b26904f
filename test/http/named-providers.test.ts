import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

const LLAMA = 'llama-3.3-70b-versatile';

/** A route straight to Groq's model (the pricing table names the provider), and OpenAI first with Groq as the fallback. */
const graphs = [
  { id: 'groq-auto', name: 'Groq', nodes: [node('req', 'request'), node('llama', 'route', { model: LLAMA, retries: 0 })], edges: [edge('req', 'next', 'llama')] },
  {
    id: 'openai-then-groq',
    name: 'OpenAI then Groq',
    nodes: [
      node('req', 'request'),
      node('mini', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 }),
      node('llama', 'route', { model: LLAMA, provider: 'groq', retries: 0 }),
    ],
    edges: [edge('req', 'next', 'mini'), edge('mini', 'onError', 'llama')],
  },
];

let openai: UpstreamServer;
let groq: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  openai = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  groq = await startOpenAIUpstream({ apiKey: 'gsk-upstream' });
  const providers = [{ name: 'groq', baseUrl: groq.url, keyEnv: 'GROQ_API_KEY', prices: { [LLAMA]: { input: 0.59, output: 0.79 } } }];
  h = await startHarness({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_PROVIDERS: JSON.stringify(providers), GROQ_API_KEY: 'gsk-upstream' });
  for (const graph of graphs) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await openai.close();
  await groq.close();
});
beforeEach(() => {
  openai.setFault(null);
  groq.setFault(null);
  openai.requests.length = 0;
  groq.requests.length = 0;
});

async function ledgerRecord(id: string): Promise<Record<string, unknown>> {
  const day = new Date().toISOString().slice(0, 10);
  const lines = (await readFile(path.join(h.dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8')).trim().split('\n');
  return lines.map((l) => JSON.parse(l)).find((r) => r.id === id);
}

describe('a named OpenAI-compatible provider (groq) from TOLLGATE_PROVIDERS', () => {
  it('serves a route to its model with its own base URL and key, and books the cost at its own prices', async () => {
    const { data, response } = await h.client.chat.completions.create(hello('gpt-4o'), { headers: { 'x-tollgate-policy': 'groq-auto' } }).withResponse();
    expect(data.choices[0]!.message.content).toContain(`echo ${LLAMA}`);
    expect(response.headers.get('x-tollgate-provider')).toBe('groq');
    expect(groq.requests.at(-1)!.headers.authorization).toBe('Bearer gsk-upstream');
    expect(openai.requests).toHaveLength(0);
    const record = await ledgerRecord(response.headers.get('x-tollgate-request-id')!);
    expect(record).toMatchObject({ provider: 'groq', servedModel: LLAMA, inputTokens: 10 });
    expect(record.costUsd).toBeCloseTo((10 * 0.59 + data.usage!.completion_tokens * 0.79) / 1e6, 12);
  });

  it('is the fallback when OpenAI fails, streaming included', async () => {
    openai.setFault({ status: 503 });
    const { response } = await h.client.chat.completions.create(hello(), { headers: { 'x-tollgate-policy': 'openai-then-groq' } }).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('groq');
    expect(response.headers.get('x-tollgate-model')).toBe(LLAMA);
    expect(openai.requests).toHaveLength(1);
    const stream = await h.client.chat.completions.create({ ...hello(), stream: true }, { headers: { 'x-tollgate-policy': 'openai-then-groq' } });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain(`echo ${LLAMA}`);
    expect(groq.requests.at(-1)!.body).toMatchObject({ model: LLAMA, stream: true });
  });

  it('names each provider in the 502 when OpenAI and Groq both fail', async () => {
    openai.setFault({ status: 500 });
    groq.setFault({ status: 429, message: 'Rate limit reached for model' });
    const error = (await h.client.chat.completions.create(hello(), { headers: { 'x-tollgate-policy': 'openai-then-groq' } }).catch((e: unknown) => e)) as { status: number; message: string };
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/groq/);
  });

  it('lists its models in /v1/models, owned by it', async () => {
    const models = await h.client.models.list();
    expect(models.data.find((m) => m.id === LLAMA)).toMatchObject({ owned_by: 'groq' });
  });

  it('rejects a policy whose route names a model no provider prices', async () => {
    const graph = { id: 'groq-unknown', name: 'x', nodes: [node('req', 'request'), node('r', 'route', { model: 'llama-9000', provider: 'groq' })], edges: [edge('req', 'next', 'r')] };
    const response = await h.post('/api/policies/groq-unknown/publish', { graph });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('TG008');
  });
});
