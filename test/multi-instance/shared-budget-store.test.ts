import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';
import { HttpError } from '../../server/errors/http-error.js';
import { createLogger } from '../../server/log.js';
import type { Admitted } from '../../server/limits/budget-admission.js';
import { BudgetBook } from '../../server/limits/budget-fact.js';
import { BudgetReservations } from '../../server/limits/budget-reservations.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import type { ActionPlan } from '../../server/runtime/action-plan.js';
import { connectRedis, type SharedRedis } from '../../server/redis/redis-connection.js';
import { RedisMetrics } from '../../server/redis/redis-metrics.js';
import { SharedBudgets, type SharedBudgetsOptions } from '../../server/redis/shared-budgets.js';
import { ledgerRecord } from '../ledger/record-fixture.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

let redis: TestRedis;
/** Two connections, as two instances would have; `b` meters into `registry`. */
let a: SharedRedis;
let b: SharedRedis;
const registry = new Registry();

beforeAll(async () => {
  redis = await startRedis();
  a = await connectRedis({ url: redis.url, log: createLogger('silent'), metrics: new RedisMetrics(new Registry()) });
  b = await connectRedis({ url: redis.url, log: createLogger('silent'), metrics: new RedisMetrics(registry) });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.stop();
});

/** An instance's shared budgets over its own spend index. */
function instance(redisOf: SharedRedis, name: string, options: Partial<SharedBudgetsOptions> = {}) {
  const spend = new SpendIndex();
  const local = new BudgetBook(spend, new BudgetReservations());
  return { spend, local, budgets: new SharedBudgets({ redis: redisOf, spend, local, instance: name, ...options }) };
}

/** A rule whose path passes each budget on its "ok" side (below 100%). */
function ruleWith(budgets: { scope: string; limitUsd: number }[]): Rule {
  const all = budgets.map((p) => ({ fact: 'budgetUsedPct', operator: 'lessThan', value: 100, params: { ...p, window: 'day' } }));
  return { name: 'go', priority: 1, conditions: { all }, event: { type: 'decision', params: { path: [] } } } as unknown as Rule;
}

const rulesOf = (rule: Rule) => ({ policy: { id: 'shared-budgets' }, rules: [rule] }) as unknown as RuleFile;
const facts = (tags: Record<string, string>) => ({ tags, serviceKey: 'svc-1', user: 'u-1' }) as unknown as RequestFacts;
const asking = (rule: Rule, micros: number): Admitted => ({ rule, plan: {} as ActionPlan, reservation: { micros, release: () => {} } });
const params = (scope: string, limitUsd: number) => ({ scope, limitUsd, window: 'day' as const });

describe('shared budgets in Redis', () => {
  it('lets exactly 10 of 50 parallel holds from two instances fit a 10-hold budget, and holds under every budget of a path or none', async () => {
    const one = instance(a, 'one').budgets;
    const two = instance(b, 'two').budgets;
    const rule = ruleWith([{ scope: 'tag:team', limitUsd: 1 }]);
    const subject = facts({ team: 'parallel' });
    const holds = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const view = await (i % 2 ? one : two).view({ rules: rulesOf(rule), facts: subject, now: Date.now() });
        return view.hold(asking(rule, 100_000), subject);
      }),
    );
    expect(holds.filter(Boolean)).toHaveLength(10);
    const view = await one.view({ rules: rulesOf(rule), facts: subject, now: Date.now() });
    expect(view.book.usage(params('tag:team', 1), subject, Date.now()).usedMicros).toBe(1_000_000);

    const both = ruleWith([{ scope: 'tag:team', limitUsd: 1 }, { scope: 'user', limitUsd: 0.00005 }]);
    const tight = facts({ team: 'roomy' });
    expect(await (await one.view({ rules: rulesOf(both), facts: tight, now: Date.now() })).hold(asking(both, 100), tight)).toBeNull();
    const after = await one.view({ rules: rulesOf(both), facts: tight, now: Date.now() });
    expect(after.book.usage(params('tag:team', 1), tight, Date.now()).usedMicros).toBe(0);
  });

  it('books spend under every key and window, reads an untagged scope as global minus the tagged, and releases a hold once', async () => {
    const { budgets } = instance(a, 'booker');
    const now = Date.now();
    const time = new Date(now).toISOString();
    budgets.add(ledgerRecord({ time, costUsd: 0.0003, costMicros: 300, tags: { tier: 'gold' }, user: 'u-spend' }));
    budgets.add(ledgerRecord({ time, costUsd: 0.0002, costMicros: 200, tags: {}, user: 'u-spend' }));
    const rule = ruleWith([{ scope: 'tag:tier', limitUsd: 1 }, { scope: 'user', limitUsd: 1 }]);
    const untagged = { tags: {}, serviceKey: 'svc-1', user: 'u-spend' } as unknown as RequestFacts;
    const view = await budgets.view({ rules: rulesOf(rule), facts: untagged, now });
    expect(view.book.usage(params('user', 1), untagged, now).usedMicros).toBe(500);
    const globalTiers = view.book.usage(params('tag:tier', 1), untagged, now).usedMicros;
    const gold = await budgets.view({ rules: rulesOf(rule), facts: facts({ tier: 'gold' }), now });
    expect(gold.book.usage(params('tag:tier', 1), facts({ tier: 'gold' }), now).usedMicros).toBe(300);
    expect(globalTiers).toBe(200);

    const held = await view.hold(asking(rule, 1_000), untagged);
    expect(held?.reservation?.micros).toBe(1_000);
    held!.reservation!.release();
    held!.reservation!.release();
    const released = await budgets.view({ rules: rulesOf(rule), facts: untagged, now });
    expect(released.book.usage(params('user', 1), untagged, now).usedMicros).toBe(500);
  });

  it('seeds each instance’s share from its own spend, replacing it on every seed, so shares add up and never count twice', async () => {
    const time = new Date().toISOString();
    const first = instance(a, 'seed-a');
    const second = instance(b, 'seed-b');
    first.spend.add(ledgerRecord({ time, costUsd: 0.0005, costMicros: 500, user: 'u-seeded' }));
    second.spend.add(ledgerRecord({ time, costUsd: 0.0003, costMicros: 300, user: 'u-seeded' }));
    await first.budgets.seed();
    await first.budgets.seed();
    await second.budgets.seed();
    const rule = ruleWith([{ scope: 'user', limitUsd: 1 }]);
    const subject = { tags: {}, serviceKey: 'svc-1', user: 'u-seeded' } as unknown as RequestFacts;
    const view = await first.budgets.view({ rules: rulesOf(rule), facts: subject, now: Date.now() });
    expect(view.book.usage(params('user', 1), subject, Date.now()).usedMicros).toBe(800);
  });

  it('gives back the holds of an instance that never released them once they expire', async () => {
    const crashed = instance(a, 'crashed', { holdMs: 100 }).budgets;
    const rule = ruleWith([{ scope: 'tag:team', limitUsd: 0.0001 }]);
    const subject = facts({ team: 'expiry' });
    const hold = async (budgets: SharedBudgets) => (await budgets.view({ rules: rulesOf(rule), facts: subject, now: Date.now() })).hold(asking(rule, 100), subject);
    expect(await hold(crashed)).not.toBeNull();
    expect(await hold(crashed)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await hold(instance(b, 'survivor').budgets)).not.toBeNull();
  });

  it('refuses budgeted requests while Redis is down (503, metered), or admits them on the local book when failing open', async () => {
    await redis.kill();
    const closed = instance(b, 'closed').budgets;
    const open = instance(b, 'open', { failMode: 'open' });
    const rule = ruleWith([{ scope: 'tag:team', limitUsd: 1 }]);
    const subject = facts({ team: 'outage' });
    const view = await closed.view({ rules: rulesOf(rule), facts: subject, now: Date.now() });
    const refused = await view.hold(asking(rule, 100), subject).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, code: 'budget_unavailable' });
    const openView = await open.budgets.view({ rules: rulesOf(rule), facts: subject, now: Date.now() });
    // Failing open, the view answers from this instance's book and the hold admits as it was.
    const now = Date.now();
    const params = { scope: 'tag:team', limitUsd: 1, window: 'day' as const };
    expect(openView.book.usage(params, subject, now)).toEqual(open.local.usage(params, subject, now));
    const asked = asking(rule, 100);
    expect(await openView.hold(asked, subject)).toBe(asked);
    expect(await registry.metrics()).toMatch(/tollgate_redis_failures_total\{op="budget.read",mode="closed"\} 1/);
    expect(await registry.metrics()).toMatch(/tollgate_redis_failures_total\{op="budget.read",mode="open"\} 1/);
    await redis.restart();
  });
});
