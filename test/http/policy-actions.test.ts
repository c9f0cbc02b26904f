import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleFile } from '../../shared/rule-file.js';
import { hello, startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

let h: Harness;
const alerts: unknown[] = [];
const webhook = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    alerts.push(JSON.parse(body));
    res.end('ok');
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const { port } = webhook.address() as AddressInfo;
  h = await startHarness({ TOLLGATE_ALERT_WEBHOOK: `http://127.0.0.1:${port}/hook` });
});
afterAll(async () => {
  await h.close();
  webhook.close();
});

async function republishBudgetGuard(limitUsd: number) {
  const file = JSON.parse(await readFile(path.join(h.rulesDir, 'budget-guard.json'), 'utf8')) as RuleFile;
  for (const node of file.graph.nodes) if (node.kind === 'budget') node.params.limitUsd = limitUsd;
  const response = await h.post('/api/policies/budget-guard/publish', { graph: file.graph });
  expect(response.status).toBe(200);
}

const asSearch = { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': 'team=search' };

describe('the budget guard policy', () => {
  it('serves as asked under 80%, degrades to the cheap model (and alerts) above it, refuses with 429 at 100%', async () => {
    const first = await h.post('/v1/chat/completions', hello('gpt-4o'), asSearch);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-tollgate-rule')).toBe('as-requested');
    expect(first.headers.get('x-tollgate-model')).toBe('gpt-4o');
    const spent = Number(first.headers.get('x-tollgate-cost-usd'));
    expect(spent).toBeGreaterThan(0);

    // The same spend is now 90% of the team's limit. Admission holds the estimate against the
    // budget, so the next requests cap their answers to fit the little that is left.
    await republishBudgetGuard(spent / 0.9);
    const short = { ...hello('gpt-4o'), max_tokens: 16 };
    const degraded = await h.post('/v1/chat/completions', short, asSearch);
    expect(degraded.status).toBe(200);
    expect(degraded.headers.get('x-tollgate-rule')).toBe('degrade-to-mini');
    expect(degraded.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    const alert = await waitFor(async () => alerts[0] as { text: string; policy: string; tags: Record<string, string> } | undefined);
    expect(alert).toMatchObject({ text: expect.stringContaining('80%'), policy: 'budget-guard', tags: { team: 'search' } });

    // Another team's budget is its own.
    const other = await h.post('/v1/chat/completions', short, { ...asSearch, 'x-tollgate-tags': 'team=ads' });
    expect(other.headers.get('x-tollgate-rule')).toBe('as-requested');

    await republishBudgetGuard(spent);
    const refused = await h.post('/v1/chat/completions', hello('gpt-4o'), asSearch);
    expect(refused.status).toBe(429);
    const body = await refused.json();
    expect(body.error).toMatchObject({ type: 'budget_exceeded', message: expect.stringContaining('daily LLM budget') });
    expect(refused.headers.get('x-tollgate-rule')).toBe('refuse-budget-spent');
  });
});

describe('the FAQ cache policy', () => {
  it('answers a repeat from the cache at no cost, and a paraphrase from the semantic cache', async () => {
    const faq = { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=faq' };
    const question = { model: 'gpt-4o', messages: [{ role: 'user', content: 'How do I reset my password on the mobile app?' }] };
    const miss = await h.post('/v1/chat/completions', question, faq);
    expect(miss.headers.get('x-tollgate-cache')).toBe('miss');
    const answer = await miss.json();

    const hit = await h.post('/v1/chat/completions', question, faq);
    expect(hit.headers.get('x-tollgate-cache')).toBe('hit');
    expect(hit.headers.get('x-tollgate-cost-usd')).toBe('0.0');
    expect((await hit.json()).choices[0].message.content).toBe(answer.choices[0].message.content);

    const paraphrase = { ...question, messages: [{ role: 'user', content: 'how do I reset my password on the Mobile App' }] };
    const semantic = await h.post('/v1/chat/completions', paraphrase, faq);
    expect(semantic.headers.get('x-tollgate-cache')).toBe('hit');

    const elsewhere = await h.post('/v1/chat/completions', question, { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=chat' });
    expect(elsewhere.headers.get('x-tollgate-cache')).toBe('bypass');
  });

  it('replays a cached answer as a stream to a streaming caller', async () => {
    const faq = { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=faq' };
    const question = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'What are your support hours on weekends?' }] };
    await h.post('/v1/chat/completions', question, faq);
    const { data: stream, response } = await h.client.chat.completions.create({ ...question, stream: true }, { headers: faq }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(response.headers.get('x-tollgate-cache')).toBe('hit');
    expect(text).toContain('[simulated gpt-4o-mini]');
  });
});

describe('a rate limit', () => {
  it('lets a service key through rpm times a minute, then refuses it with 429 while other keys go on', async () => {
    const graph = {
      id: 'throttled',
      name: 'Throttled',
      nodes: [
        { id: 'request', kind: 'request', params: {} },
        { id: 'per-key', kind: 'rateLimit', params: { scope: 'serviceKey', rpm: 2 } },
        { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
        { id: 'slow-down', kind: 'block', params: { status: 429, message: 'Slow down: 2 requests a minute per key.' } },
      ],
      edges: [
        { id: 'e1', source: 'request', sourceHandle: 'next', target: 'per-key' },
        { id: 'e2', source: 'per-key', sourceHandle: 'ok', target: 'go' },
        { id: 'e3', source: 'per-key', sourceHandle: 'limited', target: 'slow-down' },
      ],
    };
    expect((await h.post('/api/policies/throttled/publish', { graph })).status).toBe(200);
    const as = (key: string) => ({ 'x-tollgate-policy': 'throttled', authorization: `Bearer ${key}` });
    expect((await h.post('/v1/chat/completions', hello(), as('svc-a'))).status).toBe(200);
    expect((await h.post('/v1/chat/completions', hello(), as('svc-a'))).status).toBe(200);
    const limited = await h.post('/v1/chat/completions', hello(), as('svc-a'));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toMatchObject({ type: 'rate_limit_error', message: 'Slow down: 2 requests a minute per key.' });
    expect((await h.post('/v1/chat/completions', hello(), as('svc-b'))).status).toBe(200);
  });
});
