import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionListResponseSchema } from '../../shared/api.js';
import { BacktestJobSchema, type BacktestJob, type BacktestResult } from '../../shared/backtest-api.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';

/** What serves the traffic: every request gets the model it asked for. */
const asked = {
  id: 'bt',
  name: 'bt',
  nodes: [node('req', 'request'), node('asked', 'route', { model: '*' })],
  edges: [edge('req', 'next', 'asked')],
};
/** The draft to try: everything to the cheapest model. */
const cheap = { ...asked, nodes: [node('req', 'request'), node('cheap', 'route', { model: 'gpt-4o-mini' })], edges: [edge('req', 'next', 'cheap')] };

let h: Harness;
const window = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });

async function backtestJob(body: Record<string, unknown>): Promise<BacktestJob> {
  const started = await h.post('/api/policies/bt/backtest', body);
  expect(started.status).toBe(202);
  const job = BacktestJobSchema.parse(await started.json());
  expect(started.headers.get('location')).toBe(`/api/backtests/${job.job}`);
  const done = await waitFor(async () => {
    const polled = (await (await fetch(`${h.url}/api/backtests/${job.job}`)).json()) as BacktestJob;
    return polled.status === 'running' ? undefined : polled;
  });
  expect(done.error).toBeUndefined();
  expect(done.status).toBe('done');
  expect(done.progress.done).toBe(done.progress.total);
  return done;
}

async function backtest(body: Record<string, unknown>): Promise<BacktestResult> {
  return (await backtestJob(body)).result!;
}

beforeAll(async () => {
  h = await startHarness({ TOLLGATE_CAPTURE: 'all' });
  expect((await h.post('/api/policies/bt/publish', { graph: asked })).status).toBe(200);
  // 30 requests for gpt-4o judged good, 10 for gpt-4o-mini judged worse, all in parallel.
  const ask = (model: string, i: number) =>
    h.client.chat.completions
      .create({ model, messages: [{ role: 'user', content: `Explain topic number ${i} in two short sentences.` }] }, { headers: { 'x-tollgate-policy': 'bt', 'x-tollgate-tags': `team=${i % 2 ? 'search' : 'ads'}` } })
      .withResponse();
  const answers = await Promise.all([...Array.from({ length: 30 }, (_, i) => ask('gpt-4o', i)), ...Array.from({ length: 10 }, (_, i) => ask('gpt-4o-mini', 100 + i))]);
  await Promise.all(
    answers.map(({ response }) =>
      h.client.post('/feedback', { body: { requestId: response.headers.get('x-tollgate-request-id'), score: response.headers.get('x-tollgate-model') === 'gpt-4o' ? 0.9 : 0.4 } }),
    ),
  );
});
afterAll(() => h.close());

describe('POST /api/policies/:id/backtest', () => {
  it('replays the live version onto itself with no change', async () => {
    const result = await backtest(window());
    expect(result.replayed).toBe(40);
    expect(result.candidate).toEqual(result.baseline);
    expect(result.changed).toEqual([]);
  });

  it('shows the cost drop and the quality drop of a draft that routes everything cheap', async () => {
    const result = await backtest({ graph: cheap, ...window() });
    expect(result.baseline).toMatchObject({ requests: 40, refusals: 0, qualityScored: 40 });
    expect(result.baseline.quality).toBeCloseTo((30 * 0.9 + 10 * 0.4) / 40, 6);
    expect(result.candidate).toMatchObject({ requests: 40, quality: 0.4, qualityScored: 40 });
    expect(result.candidate.costUsd).toBeLessThan(result.baseline.costUsd / 5);

    const models = Object.fromEntries(result.byModel.map((g) => [g.key, g]));
    expect(models['gpt-4o']!).toMatchObject({ baseline: { requests: 30 }, candidate: { requests: 0 } });
    expect(models['gpt-4o-mini']!.candidate.requests).toBe(40);
    expect(result.byTeam.map((g) => [g.key, g.baseline.requests, g.candidate.requests])).toEqual([
      ['ads', 20, 20],
      ['search', 20, 20],
    ]);

    expect(result.changed).toHaveLength(20);
    const deltas = result.changed.map((c) => Math.abs(c.costDeltaUsd));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
    for (const c of result.changed) {
      expect(c.baseline).toMatchObject({ rule: 'asked', model: 'gpt-4o', path: ['req', 'asked'] });
      expect(c.candidate).toMatchObject({ rule: 'cheap', model: 'gpt-4o-mini', outcome: 'served', path: ['req', 'cheap'] });
      expect(c.candidate.trace[0]).toMatchObject({ rule: 'cheap', matched: true });
      expect(c.baseline.trace[0]).toMatchObject({ rule: 'asked', matched: true });
    }
  });

  it('replays a sample chosen by request id, the same one each time', async () => {
    const w = window();
    const a = await backtest({ graph: cheap, ...w, sample: 0.5 });
    const b = await backtest({ graph: cheap, ...w, sample: 0.5 });
    expect(a.replayed).toBeGreaterThan(5);
    expect(a.replayed).toBeLessThan(35);
    expect(b).toEqual(a);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const w = window();
    const backwards = await h.post('/api/policies/bt/backtest', { from: w.to, to: w.from });
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).error).toMatchObject({ code: 'invalid_body', field: 'to' });
    const noFrom = await h.post('/api/policies/bt/backtest', { to: w.to });
    expect((await noFrom.json()).error.field).toBe('from');
    const sample = await h.post('/api/policies/bt/backtest', { ...w, sample: 2 });
    expect((await sample.json()).error.field).toBe('sample');
    const unknown = await h.post('/api/policies/nope/backtest', w);
    expect(unknown.status).toBe(404);
    const version = await h.post('/api/policies/bt/backtest', { ...w, version: 99 });
    expect(version.status).toBe(404);
    expect((await version.json()).error.field).toBe('version');
    const broken = await h.post('/api/policies/bt/backtest', { ...w, graph: { ...cheap, edges: [] } });
    expect(broken.status).toBe(422);
    expect((await broken.json()).diagnostics.length).toBeGreaterThan(0);
    const otherId = await h.post('/api/policies/bt/backtest', { ...w, graph: { ...cheap, id: 'other' } });
    expect((await otherId.json()).error.field).toBe('graph.id');
    const job = await fetch(`${h.url}/api/backtests/no-such-job`);
    expect(job.status).toBe(404);
  });
});

describe('publishing after a backtest', () => {
  it('keeps the cited backtest summary beside the new version, shown in the version list', async () => {
    const done = await backtestJob({ graph: cheap, ...window() });
    const published = await h.post('/api/policies/bt/publish', { graph: cheap, backtestJob: done.job });
    expect(published.status).toBe(200);
    const { version } = (await published.json()) as { version: number };
    const { versions } = VersionListResponseSchema.parse(await (await fetch(`${h.url}/api/policies/bt/versions`)).json());
    const listed = versions.find((v) => v.version === version)!;
    const result = done.result!;
    expect(listed.backtest).toEqual({
      job: done.job,
      from: result.from,
      to: result.to,
      replayed: 40,
      changed: 40,
      baseline: { requests: 40, costMicroUsd: result.baseline.costMicroUsd, refusals: 0, degradations: 0, cacheHits: 0, quality: result.baseline.quality },
      candidate: { requests: 40, costMicroUsd: result.candidate.costMicroUsd, refusals: 0, degradations: 0, cacheHits: 0, quality: 0.4 },
    });
    expect(versions.find((v) => v.version === 1)!.backtest).toBeUndefined();
  });

  it('refuses to publish citing a backtest that does not exist, naming backtestJob, and publishes nothing', async () => {
    const before = VersionListResponseSchema.parse(await (await fetch(`${h.url}/api/policies/bt/versions`)).json()).versions.length;
    const refused = await h.post('/api/policies/bt/publish', { graph: asked, backtestJob: 'no-such-job' });
    expect(refused.status).toBe(404);
    expect((await refused.json()).error).toMatchObject({ code: 'backtest_not_found', field: 'backtestJob' });
    const after = VersionListResponseSchema.parse(await (await fetch(`${h.url}/api/policies/bt/versions`)).json()).versions.length;
    expect(after).toBe(before);
  });
});
