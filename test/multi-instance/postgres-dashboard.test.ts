import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverviewResponseSchema, SeriesResponseSchema } from '../../shared/usage-api.js';
import { hello, startHarness, type Harness } from '../http/harness.js';
import { startPostgres, type TestPostgres } from '../support/find-postgres.js';

/**
 * Three instances shipping their ledgers to one real PostgreSQL: the dashboard of any of them
 * shows every instance's traffic (rollups tailed from the table), and stays current as more is
 * booked anywhere.
 */
let db: TestPostgres;
let instances: Harness[];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  db = await startPostgres();
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_DATABASE_URL: db.url })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await db?.stop();
});

/** Sends `n` requests as `team` through instance `i`, in parallel, with the official SDK; what they cost in micro-dollars. */
async function ask(i: number, team: string, n: number): Promise<number> {
  const answers = await Promise.all(
    Array.from({ length: n }, () =>
      instances[i]!.client.chat.completions.create(hello('gpt-4o-mini'), { headers: { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': `team=${team}` } }).withResponse(),
    ),
  );
  return answers.reduce((sum, { response }) => sum + Math.round(Number(response.headers.get('x-tollgate-cost-usd')) * 1e6), 0);
}

async function get(i: number, path: string): Promise<unknown> {
  const response = await fetch(`${instances[i]!.url}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Waits until every instance has shipped what it booked (the dashboard reader ships its own; the others ship every second). */
async function shipped(): Promise<void> {
  await Promise.all(instances.map((h) => h.server.runtime.state.ledgerDb!.flush()));
}

describe('the dashboard across instances, from PostgreSQL', () => {
  it('overview and series on one instance count the traffic of all three, and follow new bookings', async () => {
    const ads = (await ask(0, 'ads', 10)) + (await ask(2, 'ads', 5));
    const search = await ask(1, 'search', 20);
    await shipped();

    for (const i of [0, 1, 2]) {
      const overview = OverviewResponseSchema.parse(await get(i, `/api/usage/overview?from=${today}&to=${today}`));
      expect(overview).toMatchObject({ requests: 35, costMicros: ads + search, source: 'rollups' });
    }
    const series = SeriesResponseSchema.parse(await get(1, `/api/usage/series?groupBy=team&bucket=day&from=${today}&to=${today}`));
    expect(Object.fromEntries(series.series.map((s) => [s.key, s.totalMicros]))).toEqual({ ads, search });

    // Booked after the first reads: counted once, on top of what was there.
    const more = await ask(2, 'search', 7);
    await shipped();
    const after = OverviewResponseSchema.parse(await get(0, `/api/usage/overview?from=${today}&to=${today}`));
    expect(after).toMatchObject({ requests: 42, costMicros: ads + search + more });
  });

  it('counts feedback given on any instance for a request any instance answered, in the overview and in /api/usage', async () => {
    const ids = await Promise.all(
      Array.from({ length: 10 }, () =>
        instances[0]!.client.chat.completions
          .create(hello('gpt-4o-mini'), { headers: { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': 'team=rated' } })
          .withResponse()
          .then(({ response }) => response.headers.get('x-tollgate-request-id')!),
      ),
    );
    await shipped();
    // Given on instances 2 and 3, which did not answer them: found in the shared ledger.
    const booked = await Promise.all(ids.map((requestId, k) => instances[1 + (k % 2)]!.client.post('/feedback', { body: { requestId, score: k < 5 ? 0.8 : 0.4 } })));
    expect(booked).toHaveLength(10);
    await shipped();

    const overview = OverviewResponseSchema.parse(await get(1, `/api/usage/overview?from=${today}&to=${today}`));
    const rated = overview.routes.filter((r) => r.feedback > 0);
    expect(rated.reduce((n, r) => n + r.feedback, 0)).toBe(10);
    expect(rated.reduce((sum, r) => sum + r.quality! * r.feedback, 0) / 10).toBeCloseTo(0.6, 6);
    const usage = (await get(0, `/api/usage?groupBy=team&from=${today}`)) as { groups: { key: string; feedback: number; quality: number | null }[] };
    expect(usage.groups.find((g) => g.key === 'rated')).toMatchObject({ feedback: 10, quality: 0.6 });
  });
});
