import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStatsResponseSchema } from '../../shared/live-stats.js';
import { hello, startHarness, type Harness } from './harness.js';

let h: Harness;
const faq = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'How do I reset my password?' }] };

beforeAll(async () => {
  h = await startHarness();
  for (const team of ['research', 'research', 'ads']) {
    const response = await h.post('/v1/chat/completions', hello('gpt-4o'), { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': `team=${team}` });
    expect(response.status).toBe(200);
  }
  for (let i = 0; i < 2; i++) {
    const response = await h.post('/v1/chat/completions', faq, { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=faq' });
    expect(response.status).toBe(200);
  }
  const override = await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=research')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ day: 200 }),
  });
  expect(override.status).toBe(200);
});
afterAll(() => h.close());

async function liveStats(id: string) {
  const response = await fetch(`${h.url}/api/policies/${id}/live-stats`);
  expect(response.status).toBe(200);
  return LiveStatsResponseSchema.parse(await response.json());
}

describe('GET /api/policies/:id/live-stats', () => {
  it('shows each team seen today against its limit on a budget node, the override where one is set', async () => {
    const stats = await liveStats('budget-guard');
    expect(stats.day).toBe(new Date().toISOString().slice(0, 10));
    const budget = stats.nodes['budget-spent']!;
    expect(budget.requests).toBe(3);
    expect(budget.scopesSeen).toBe(2);
    const byKey = Object.fromEntries(budget.budgets.map((b) => [b.key, b]));
    expect(byKey['tag:team=research']!.limitUsd).toBe(200);
    expect(byKey['tag:team=ads']!.limitUsd).toBe(50);
    expect(byKey['tag:team=research']!.usedUsd).toBeGreaterThan(byKey['tag:team=ads']!.usedUsd);
    expect(budget.budgets[0]!.key).toBe('tag:team=research');
  });

  it('counts requests and cost on the route node that answered them, and nothing on routes not taken', async () => {
    const stats = await liveStats('budget-guard');
    const asked = stats.nodes['route-as-asked']!;
    expect(asked.requests).toBe(3);
    expect(asked.costUsd).toBeGreaterThan(0);
    expect(asked.costUsd).toBeCloseTo(stats.nodes['budget-spent']!.costUsd, 12);
    expect(stats.nodes['degrade']).toBeUndefined(); // degrade declares no live figure
  });

  it('gives a cache node its hit rate', async () => {
    const stats = await liveStats('faq-cache');
    expect(stats.nodes['faq-cache']).toMatchObject({ cacheLookups: 2, cacheHits: 1 });
    expect(stats.nodes['route-faq']).toMatchObject({ requests: 2 });
    expect(stats.nodes['route-as-asked']).toMatchObject({ requests: 0, costUsd: 0 });
  });

  it('answers 404 for a policy that is not published and 400 for a malformed id', async () => {
    const draft = await fetch(`${h.url}/api/policies/never-published/live-stats`);
    expect(draft.status).toBe(404);
    expect((await draft.json()).error.field).toBe('id');
    const bad = await fetch(`${h.url}/api/policies/Not_An_Id/live-stats`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('id');
  });
});
