import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerShipper } from '../../server/ledger-db/ledger-shipper.js';
import { migrate } from '../../server/ledger-db/migrations.js';
import { CURSOR_FILE } from '../../server/ledger-db/ship-cursor.js';
import { UsageLedger } from '../../server/ledger/usage-ledger.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { createLogger } from '../../server/log.js';
import { hello, startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { freePort } from '../support/debian-server.js';
import { startPostgres, type TestPostgres } from '../support/find-postgres.js';

let db: TestPostgres;
let instances: Harness[];
let pool: pg.Pool;

beforeAll(async () => {
  db = await startPostgres();
  pool = new pg.Pool({ connectionString: db.url });
  // PostgreSQL's shutdown at the end terminates idle connections; a pool without a listener would throw it.
  pool.on('error', () => undefined);
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_DATABASE_URL: db.url })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await pool?.end();
  await db?.stop();
});

const count = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

function record(id: string, costUsd: number): LedgerRecord {
  return {
    id, time: new Date().toISOString(), policy: 'p', policyVersion: 1, rule: 'r', requestedModel: 'm', servedModel: 'm', provider: 'simulator',
    tags: { team: 'wal' }, serviceKey: 'k', user: '', inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, promptCacheSavedUsd: 0, costUsd, savedUsd: 0,
    cache: 'bypass', latencyMs: 1, status: 200, stream: false, attempts: 1,
  };
}

describe('the ledger in PostgreSQL (TOLLGATE_DATABASE_URL)', () => {
  it('runs the migrations once although three instances start together', async () => {
    // Migrating again is a no-op that says how many there are: each was recorded exactly once.
    const migrations = await migrate(pool);
    expect(migrations).toBeGreaterThanOrEqual(2);
    expect(await count('select count(*) as n from tollgate_migrations')).toBe(migrations);
    expect(await count('select count(distinct version) as n from tollgate_migrations')).toBe(migrations);
  });

  it('sums usage across all three instances from any one of them', async () => {
    const asTeam = (team: string) => ({ 'x-tollgate-tags': `team=${team}` });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => instances[i % 3]!.post('/v1/chat/completions', hello(), asTeam(i % 2 ? 'search' : 'ads')).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Each instance ships on its own timer (every second), without being asked.
    await waitFor(async () => (await count("select count(*) as n from tollgate_ledger where record->'tags'->>'team' in ('search', 'ads')")) === 30, 100, 100);
    const usage = (await (await fetch(`${instances[0]!.url}/api/usage?groupBy=team`)).json()) as { groups: { key: string; requests: number; costUsd: number }[] };
    const byTeam = Object.fromEntries(usage.groups.map((g) => [g.key, g]));
    expect(byTeam.search?.requests).toBe(15);
    expect(byTeam.ads?.requests).toBe(15);
    const local = (await (await fetch(`${instances[1]!.url}/api/usage?groupBy=team`)).json()) as typeof usage;
    expect(local.groups).toEqual(usage.groups);
    expect(await count("select count(distinct instance) as n from tollgate_ledger where record->'tags'->>'team' in ('search', 'ads')")).toBe(3);
  });

  it('keeps records in the local ledger while the database is away and ships each exactly once when it is back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-wal-'));
    try {
      const ledger = new UsageLedger(dir);
      for (let i = 0; i < 50; i++) ledger.append(record(`wal-${i}`, 0.001));
      const away = new pg.Pool({ connectionString: `postgres://tollgate@127.0.0.1:${await freePort()}/tollgate`, connectionTimeoutMillis: 500 });
      const failing = new LedgerShipper({ pool: away, dir, instance: 'wal', log: createLogger('silent'), registry: new Registry(), intervalMs: 60_000 });
      expect(await failing.ship()).toBe(0);
      await failing.close();
      await away.end();

      await migrate(pool);
      const registry = new Registry();
      const back = new LedgerShipper({ pool, dir, instance: 'wal', log: createLogger('silent'), registry, intervalMs: 60_000 });
      expect(await back.ship()).toBe(50);
      for (let i = 50; i < 60; i++) ledger.append(record(`wal-${i}`, 0.001));
      ledger.close();
      expect(await back.ship()).toBe(10);
      await back.close();
      // A crash after an insert but before the cursor moved ships the batch again: the ids keep it once.
      await rm(path.join(dir, CURSOR_FILE));
      const again = new LedgerShipper({ pool, dir, instance: 'wal', log: createLogger('silent'), registry: new Registry(), intervalMs: 60_000 });
      await again.ship();
      await again.close();
      expect(await count("select count(*) as n from tollgate_ledger where id like 'wal-%'")).toBe(60);
      expect(await count("select round(sum((record->>'costUsd')::numeric) * 1000000) as n from tollgate_ledger where id like 'wal-%'")).toBe(60_000);
      expect(JSON.parse(await readFile(path.join(dir, CURSOR_FILE), 'utf8'))).toMatchObject({ offset: expect.any(Number) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
