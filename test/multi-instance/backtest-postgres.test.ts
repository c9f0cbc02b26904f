import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestJobSchema, type BacktestJob, type BacktestResult } from '../../shared/backtest-api.js';
import type { CapturedRequest } from '../../server/capture/captured-request.js';
import { CaptureShipper } from '../../server/ledger-db/capture-shipper.js';
import { capturedRows } from '../../server/ledger-db/captured-rows.js';
import { migrate } from '../../server/ledger-db/migrations.js';
import { createLogger } from '../../server/log.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { freePort } from '../support/debian-server.js';
import { startPostgres, type TestPostgres } from '../support/find-postgres.js';
import { startTcpRelay } from '../support/tcp-relay.js';

/**
 * Three instances capturing traffic into one real PostgreSQL: a backtest started on any of them
 * replays every instance's requests, not only its own.
 */
const asked = { id: 'bt', name: 'bt', nodes: [node('req', 'request'), node('asked', 'route', { model: '*' })], edges: [edge('req', 'next', 'asked')] };
const cheap = { ...asked, nodes: [node('req', 'request'), node('cheap', 'route', { model: 'gpt-4o-mini' })], edges: [edge('req', 'next', 'cheap')] };

let db: TestPostgres;
let pool: pg.Pool;
let instances: Harness[];

beforeAll(async () => {
  db = await startPostgres();
  pool = new pg.Pool({ connectionString: db.url });
  pool.on('error', () => undefined);
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_DATABASE_URL: db.url, TOLLGATE_CAPTURE: 'all' })));
  // Without Redis each instance publishes its own v1 of the same graph.
  for (const h of instances) expect((await h.post('/api/policies/bt/publish', { graph: asked })).status).toBe(200);
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await pool?.end();
  await db?.stop();
});

const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);
const window = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });

async function backtest(h: Harness, body: Record<string, unknown>): Promise<BacktestResult> {
  const started = await h.post('/api/policies/bt/backtest', body);
  expect(started.status).toBe(202);
  const job = BacktestJobSchema.parse(await started.json());
  const done = await waitFor(async () => {
    const polled = (await (await fetch(`${h.url}/api/backtests/${job.job}`)).json()) as BacktestJob;
    return polled.status === 'running' ? undefined : polled;
  });
  expect(done.error).toBeUndefined();
  return done.result!;
}

function captured(id: string, time: string): CapturedRequest {
  return {
    id,
    time,
    factsTime: time,
    policy: 'spool',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: `question ${id}` }] },
    caller: { tags: {}, serviceKey: 'k', user: '', tier: '' },
  };
}
const member = (rows: CapturedRequest[]) => gzipSync(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

describe('captured requests in PostgreSQL (TOLLGATE_DATABASE_URL)', () => {
  it('a backtest on one instance replays the traffic captured on all three', async () => {
    // 10, 15 and 20 requests through the three instances, in parallel, with the official SDK.
    const sizes = [10, 15, 20];
    const ids = await Promise.all(
      sizes.flatMap((n, i) =>
        Array.from({ length: n }, (_, k) =>
          instances[i]!.client.chat.completions
            .create(
              { model: 'gpt-4o', messages: [{ role: 'user', content: `Instance ${i} asks question ${k} in two short sentences.` }] },
              { headers: { 'x-tollgate-policy': 'bt', 'x-tollgate-tags': `team=${i === 0 ? 'ads' : 'search'}` } },
            )
            .withResponse()
            .then(({ response }) => response.headers.get('x-tollgate-request-id')!),
        ),
      ),
    );
    // Every instance ships its captures after each batch and its ledger every second. Wait for all
    // 45: a count of 35 could be met by instances 1 and 2 alone, before instance 0's ten arrive.
    const shippedEverywhere = async () =>
      (await count("select count(*) as n from tollgate_capture where policy = 'bt'")) >= 45 &&
      (await count("select count(*) as n from tollgate_ledger where record->>'policy' = 'bt'")) >= 45;
    await waitFor(shippedEverywhere, 100, 100);
    // Every answer judged on the second instance, whichever answered it.
    for (const requestId of ids) await instances[1]!.client.post('/feedback', { body: { requestId, score: 0.9 } });
    await instances[1]!.server.runtime.state.ledgerDb!.flush();

    for (const i of [0, 2]) {
      const result = await backtest(instances[i]!, { graph: cheap, ...window() });
      expect(result.replayed).toBe(45);
      expect(result.baseline).toMatchObject({ requests: 45, qualityScored: 45, quality: 0.9 });
      expect(result.candidate.requests).toBe(45);
      expect(result.candidate.costUsd).toBeLessThan(result.baseline.costUsd / 5);
      expect(result.byTeam.map((g) => [g.key, g.baseline.requests])).toEqual([
        ['ads', 10],
        ['search', 35],
      ]);
    }
    expect(await count("select count(distinct instance) as n from tollgate_capture where policy = 'bt'")).toBe(3);
    // Each request once, however often it was shipped.
    expect(await count("select count(*) as n from tollgate_capture where policy = 'bt'")).toBe(45);
  });

  it('keeps captures in the local files while the database is away, ships each once when it is back, and reads past a torn member', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-capture-spool-'));
    try {
      const now = new Date().toISOString();
      const day = now.slice(0, 10);
      const file = path.join(dir, 'spool', `capture-${day}.jsonl.gz`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, Buffer.concat([member([0, 1, 2].map((i) => captured(`spool-${i}`, now))), member([3, 4].map((i) => captured(`spool-${i}`, now)))]));

      const away = new pg.Pool({ connectionString: `postgres://tollgate@127.0.0.1:${await freePort()}/tollgate`, connectionTimeoutMillis: 500 });
      away.on('error', () => undefined);
      const failing = new CaptureShipper({ pool: away, dir, instance: 'spool', log: createLogger('silent'), registry: new Registry() });
      expect(await failing.ship()).toBe(false);
      await away.end();

      await migrate(pool);
      const back = new CaptureShipper({ pool, dir, instance: 'spool', log: createLogger('silent'), registry: new Registry() });
      expect(await back.ship()).toBe(true);
      expect(await count("select count(*) as n from tollgate_capture where id like 'spool-%'")).toBe(5);

      // Appended later: only the new member is read. Then a crash tears the next one midway.
      await appendFile(file, member([5, 6].map((i) => captured(`spool-${i}`, now))));
      const torn = member([7, 8].map((i) => captured(`spool-${i}`, now)));
      await appendFile(file, torn.subarray(0, 16));
      expect(await back.ship()).toBe(true);
      expect(await count("select count(*) as n from tollgate_capture where id like 'spool-%'")).toBe(7);

      // A lost cursor ships everything again: the ids keep each request once.
      await rm(path.join(dir, 'shipped-to-database.json'));
      const again = new CaptureShipper({ pool, dir, instance: 'spool', log: createLogger('silent'), registry: new Registry() });
      expect(await again.ship()).toBe(true);
      expect(await count("select count(*) as n from tollgate_capture where id like 'spool-%'")).toBe(7);

      const read: string[] = [];
      for await (const c of capturedRows(pool, { policy: 'spool', from: day, to: new Date(Date.now() + 60_000).toISOString() })) read.push(c.id);
      expect(read.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `spool-${i}`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an instance that starts with the database away captures locally and ships every request once it is back', async () => {
    const target = new URL(db.url);
    const relay = await startTcpRelay({ host: target.hostname, port: Number(target.port) }, await freePort());
    const h = await startHarness({ TOLLGATE_DATABASE_URL: `postgres://tollgate@127.0.0.1:${relay.port}/tollgate`, TOLLGATE_CAPTURE: 'all' });
    try {
      const ids = await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          h.client.chat.completions
            .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Asked while the database is away, number ${k}.` }] }, { headers: { 'x-tollgate-policy': 'budget-guard' } })
            .withResponse()
            .then(({ response }) => response.headers.get('x-tollgate-request-id')!),
        ),
      );
      await h.server.runtime.capture.flush();
      await relay.open();
      // Retried by the capture store's own timer, without a read asking for it.
      const shipped = async () => {
        const { rows } = await pool.query<{ id: string }>('select id from tollgate_capture where id = any($1)', [ids]);
        return rows.length === ids.length ? rows.map((r) => r.id) : undefined;
      };
      expect((await waitFor(shipped, 100, 100)).sort()).toEqual([...ids].sort());
    } finally {
      await h.close();
      await relay.close();
    }
  });

  it("deletes rows past their policy's retention and keeps the rest", async () => {
    await migrate(pool);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-capture-retain-'));
    try {
      const shipper = new CaptureShipper({ pool, dir, instance: 'retain', log: createLogger('silent'), registry: new Registry() });
      await pool.query(
        `insert into tollgate_capture (id, policy, time, instance, captured) values
           ('old-1', 'kept-2-days', '2025-06-01T12:00:00Z', 'x', '{}'), ('new-1', 'kept-2-days', '2025-06-06T00:00:00Z', 'x', '{}'),
           ('old-2', 'other', '2025-06-01T12:00:00Z', 'x', '{}')`,
      );
      await shipper.retain({ retentionDays: new Map([['kept-2-days', 2]]), today: '2025-06-07' });
      expect((await pool.query<{ id: string }>("select id from tollgate_capture where id in ('old-1', 'new-1', 'old-2') order by id")).rows.map((r) => r.id)).toEqual(['new-1', 'old-2']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
