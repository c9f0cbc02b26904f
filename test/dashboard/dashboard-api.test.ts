import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetBurnResponseSchema, OverviewResponseSchema, SeriesResponseSchema } from '../../shared/usage-api.js';
import { hello, startHarness, type Harness } from '../http/harness.js';

let h: Harness;
const costUnits: Record<string, number> = {};
const ids: string[] = [];
const today = new Date().toISOString().slice(0, 10);
const get = async (path: string) => {
  const response = await fetch(`${h.url}${path}`);
  return { status: response.status, body: await response.json() };
};
/** What the answers' x-tollgate-cost-usd headers add up to, in micro-dollars, summed exactly as the rollups do (1e-10 USD units). */
const micros = (units: number) => units;

beforeAll(async () => {
  h = await startHarness();
  const ask = (policy: string, team: string, model: string) =>
    h.client.chat.completions.create(hello(model), { headers: { 'x-tollgate-policy': policy, 'x-tollgate-tags': `team=${team}` } }).withResponse();
  const answers = await Promise.all([
    ...Array.from({ length: 6 }, () => ask('budget-guard', 'search', 'gpt-4o')),
    ...Array.from({ length: 4 }, () => ask('budget-guard', 'ads', 'gpt-4o-mini')),
    ...Array.from({ length: 2 }, () => ask('cost-router', 'search', 'gpt-4o')),
  ]);
  answers.forEach(({ response }, i) => {
    const team = i >= 6 && i < 10 ? 'ads' : 'search';
    costUnits[team] = (costUnits[team] ?? 0) + Math.round(Number(response.headers.get('x-tollgate-cost-usd')) * 1e6);
    ids.push(response.headers.get('x-tollgate-request-id')!);
  });
  await h.client.post('/feedback', { body: { requestId: ids[0], score: 1 } });
});
afterAll(() => h.close());

describe('the dashboard API, served from the usage rollups', () => {
  it('overview: totals equal the answers’ costs, a filter narrows them, quality per route follows feedback', async () => {
    const all = OverviewResponseSchema.parse((await get(`/api/usage/overview?from=${today}&to=${today}`)).body);
    expect(all).toMatchObject({ requests: 12, errors: 0, source: 'rollups', cacheHitRate: null });
    expect(all.costMicros).toBe(micros(costUnits.search! + costUnits.ads!));
    expect(all.tags.team).toEqual(['ads', 'search']);
    expect(all.topUsers).toHaveLength(1);
    const asked = all.routes.find((r) => r.key === 'as-requested')!;
    expect(asked).toMatchObject({ requests: 10, feedback: 1, quality: 1 });

    const ads = OverviewResponseSchema.parse((await get(`/api/usage/overview?from=${today}&to=${today}&filter=team%3Dads`)).body);
    expect(ads).toMatchObject({ requests: 4, costMicros: micros(costUnits.ads!), topUsers: [] });
  });

  it('series: one line per team per hour, adding up to the overview', async () => {
    const series = SeriesResponseSchema.parse((await get(`/api/usage/series?groupBy=team&bucket=hour&from=${today}&to=${today}`)).body);
    expect(series.buckets).toHaveLength(24);
    expect(series.series.map((s) => s.key)).toEqual(costUnits.search! >= costUnits.ads! ? ['search', 'ads'] : ['ads', 'search']);
    for (const s of series.series) {
      expect(s.totalMicros).toBe(micros(costUnits[s.key]!));
      expect(s.points.reduce((a, p) => a + p.requests, 0)).toBe(s.key === 'ads' ? 4 : 8);
    }
    const top1 = SeriesResponseSchema.parse((await get(`/api/usage/series?groupBy=policy&bucket=day&from=${today}&to=${today}&top=1`)).body);
    expect(top1.series.map((s) => s.key)).toEqual(['budget-guard', '(other)']);
  });

  it('budgets: burn per team under the budget node, the override’s limit where one is set', async () => {
    expect((await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=ads')}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ day: 10 }) })).status).toBe(200);
    const { budgets, now } = BudgetBurnResponseSchema.parse((await get('/api/usage/budgets')).body);
    const byScope = Object.fromEntries(budgets.map((b) => [b.scope, b]));
    expect(byScope['tag:team=search']).toMatchObject({ window: 'day', limitMicros: 50_000_000, spentMicros: micros(costUnits.search!), source: ['budget-guard'] });
    expect(byScope['tag:team=ads']).toMatchObject({ limitMicros: 10_000_000, spentMicros: micros(costUnits.ads!), source: ['override'] });
    expect(byScope['tag:team=search']!.hourlyMicros).toHaveLength(new Date(now).getUTCHours() + 1);
  });

  it('answers bad queries with a 400 naming the field', async () => {
    const noFrom = await get(`/api/usage/series?to=${today}`);
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.error.field).toBe('from');
    expect((await get(`/api/usage/series?from=${today}&to=${today}&bucket=minute`)).body.error.field).toBe('bucket');
    expect((await get(`/api/usage/overview?from=yesterday&to=${today}`)).body.error.field).toBe('from');
    expect((await get(`/api/usage/series?from=${today}&to=${today}&groupBy=user&filter=team%3Dads`)).body.error.field).toBe('filter');
  });
});
