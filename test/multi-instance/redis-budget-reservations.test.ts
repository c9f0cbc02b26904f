import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { RedisBudgetReservations } from '../../server/redis/redis-budget-reservations.js';
import { connectRedis, type SharedRedis } from '../../server/redis/redis-connection.js';
import { RedisMetrics } from '../../server/redis/redis-metrics.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

let redis: TestRedis;
/** Two connections, as two instances would have. */
let a: SharedRedis;
let b: SharedRedis;
const registry = new Registry();

const connect = () => connectRedis({ url: redis.url, log: createLogger('silent'), metrics: new RedisMetrics(new Registry()) });

beforeAll(async () => {
  redis = await startRedis();
  a = await connect();
  b = await connectRedis({ url: redis.url, log: createLogger('silent'), metrics: new RedisMetrics(registry) });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

describe('budget reservations in Redis', () => {
  it('lets exactly 10 of 50 parallel 100,000-micro reservations from two instances hold a 1,000,000-micro budget', async () => {
    const one = new RedisBudgetReservations({ redis: a });
    const two = new RedisBudgetReservations({ redis: b });
    const scope = [{ key: 'team=parallel|day', limitMicros: 1_000_000 }];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).reserve(scope, 100_000)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'over' && r.scope === 'team=parallel|day')).toBe(true);
    expect(await one.reservedMicros('team=parallel|day')).toBe(1_000_000);
  });

  it('gives a hold back on release (once, however often it is called) and books the actual cost on settle', async () => {
    const budgets = new RedisBudgetReservations({ redis: a });
    const scope = [{ key: 'team=settle|day', limitMicros: 300 }];
    const first = await budgets.reserve(scope, 200);
    const second = await budgets.reserve(scope, 200);
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, reason: 'over' });
    if (!first.ok) return;
    await first.reservation.settle(120);
    first.reservation.release();
    await first.reservation.settle(120);
    expect(await budgets.spentMicros('team=settle|day')).toBe(120);
    expect(await budgets.reservedMicros('team=settle|day')).toBe(0);
    expect((await budgets.reserve(scope, 180)).ok).toBe(true);
    expect((await budgets.reserve(scope, 1)).ok).toBe(false);
  });

  it('holds under every scope of a path or under none', async () => {
    const budgets = new RedisBudgetReservations({ redis: a });
    const roomy = { key: 'team=roomy|day', limitMicros: 1_000 };
    const tight = { key: 'user=tight|day', limitMicros: 50 };
    expect(await budgets.reserve([roomy, tight], 100)).toMatchObject({ ok: false, reason: 'over', scope: 'user=tight|day' });
    expect(await budgets.reservedMicros('team=roomy|day')).toBe(0);
  });

  it('gives back the holds of an instance that never released them once they expire', async () => {
    const crashed = new RedisBudgetReservations({ redis: a, holdMs: 100 });
    const scope = [{ key: 'team=expiry|day', limitMicros: 100 }];
    expect((await crashed.reserve(scope, 100)).ok).toBe(true);
    expect((await crashed.reserve(scope, 100)).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await new RedisBudgetReservations({ redis: b }).reserve(scope, 100)).ok).toBe(true);
  });

  it('refuses money with a non-integer or negative amount', async () => {
    const budgets = new RedisBudgetReservations({ redis: a });
    await expect(budgets.reserve([{ key: 'k', limitMicros: 10 }], 1.5)).rejects.toThrow(/integer of micro-dollars/);
    await expect(budgets.reserve([{ key: 'k', limitMicros: -1 }], 1)).rejects.toThrow(/limitMicros/);
  });

  it('fails closed while Redis is down (or open when asked), metered, and holds again once it is back', async () => {
    await redis.kill();
    const closed = new RedisBudgetReservations({ redis: b });
    const open = new RedisBudgetReservations({ redis: b, failMode: 'open' });
    const scope = [{ key: 'team=outage|day', limitMicros: 1_000 }];
    const refused = await Promise.all(Array.from({ length: 50 }, () => closed.reserve(scope, 10)));
    expect(refused.every((r) => !r.ok && r.reason === 'unavailable')).toBe(true);
    expect((await open.reserve(scope, 10)).ok).toBe(true);
    expect(await registry.metrics()).toMatch(/tollgate_redis_failures_total\{op="budget.reserve",mode="closed"\} 50/);
    await redis.restart();
    const back = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await closed.reserve(scope, 10);
        if (r.ok) return r;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return null;
    })();
    expect(back?.ok).toBe(true);
  });
});
