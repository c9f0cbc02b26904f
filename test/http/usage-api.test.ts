import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hello, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const team of ['search', 'search', 'ads']) {
    const response = await h.post('/v1/chat/completions', hello('gpt-4o'), { 'x-tollgate-tags': `team=${team}` });
    expect(response.status).toBe(200);
  }
});
afterAll(() => h.close());

describe('spend reporting', () => {
  it('books every cent to the team that spent it', async () => {
    const usage = await (await fetch(`${h.url}/api/usage?groupBy=team`)).json();
    const byTeam = Object.fromEntries(usage.groups.map((g: { key: string; requests: number; costUsd: number }) => [g.key, g]));
    expect(byTeam.search).toMatchObject({ requests: 2 });
    expect(byTeam.ads).toMatchObject({ requests: 1 });
    expect(byTeam.search.costUsd).toBeGreaterThan(byTeam.ads.costUsd);
    expect(byTeam.search.savedUsd).toBeGreaterThan(0); // asked for gpt-4o, routed to gpt-4o-mini
  });

  it('groups by served model', async () => {
    const usage = await (await fetch(`${h.url}/api/usage?groupBy=model`)).json();
    expect(usage.groups.map((g: { key: string }) => g.key)).toEqual(['gpt-4o-mini']);
  });

  it('refuses a malformed query, naming the field', async () => {
    const response = await fetch(`${h.url}/api/usage?from=yesterday`);
    expect(response.status).toBe(400);
    expect((await response.json()).error.field).toBe('from');
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/tollgate_requests_total\{policy="cost-router",rule="cheap-model",model="gpt-4o-mini",status="200",cache="bypass"\} 3/);
    expect(text).toMatch(/tollgate_cost_usd_total\{policy="cost-router",model="gpt-4o-mini",team="search"\} \d/);
  });
});

describe('budget overrides', () => {
  it('sets, lists and removes a per-team limit', async () => {
    const put = await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=research')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ day: 200 }),
    });
    expect(put.status).toBe(200);
    expect((await (await fetch(`${h.url}/api/budgets`)).json()).overrides).toEqual({ 'tag:team=research': { day: 200 } });
    const bad = await fetch(`${h.url}/api/budgets/${encodeURIComponent('team=research')}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"day": 1}' });
    expect(bad.status).toBe(400);
    await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=research')}`, { method: 'DELETE' });
    expect((await (await fetch(`${h.url}/api/budgets`)).json()).overrides).toEqual({});
  });
});
