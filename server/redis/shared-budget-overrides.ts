import { type BudgetOverrides, ScopeKeySchema, WindowLimitsSchema, type WindowLimits } from '../limits/budget-overrides.js';
import type { Logger } from '../log.js';
import type { StateBus } from './state-bus.js';

/** Every scope's override as JSON, or "null" once removed (so a removal is not mistaken for a scope nobody shared yet). */
const OVERRIDES = 'tg:budgets:overrides';

export interface ShareOverridesOptions {
  bus: StateBus;
  overrides: BudgetOverrides;
  log: Logger;
}

const LimitsOrNone = WindowLimitsSchema.nullable();

function parseLimits(value: unknown): { ok: true; limits: WindowLimits | null } | { ok: false } {
  try {
    const parsed = LimitsOrNone.safeParse(typeof value === 'string' ? JSON.parse(value) : value);
    return parsed.success ? { ok: true, limits: parsed.data } : { ok: false };
  } catch {
    return { ok: false };
  }
}

const same = (a: WindowLimits | null, b: WindowLimits | null) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * A budget override set on one instance (PUT /api/budgets/:key, or a key's budgets) holds on
 * every instance: changes travel over the state bus and are kept in Redis; budgets.json stays
 * each instance's local copy. A change made while Redis was away is pushed on reconnect and
 * wins over what Redis held for that scope (it is the newer intent); everything else is taken
 * from Redis.
 */
export function shareBudgetOverrides({ bus, overrides, log }: ShareOverridesOptions): Promise<void> {
  const redis = bus.client;
  /** Scopes changed here while Redis failed. */
  const unshared = new Set<string>();
  const apply = (key: string, limits: WindowLimits | null) =>
    overrides.apply(key, limits).catch((error) => log.error({ scope: key, error: (error as Error).message }, 'a budget override from another instance could not be written to budgets.json'));

  const share = async (key: string, limits: WindowLimits | null) => {
    await redis.client.hset(OVERRIDES, key, JSON.stringify(limits));
    bus.publish('budget', { key, limits });
  };
  overrides.onChange = (key, limits) => {
    share(key, limits).catch((error) => {
      unshared.add(key);
      redis.failed('budgets.override', 'local', error);
    });
  };
  bus.on('budget', (payload) => {
    const key = ScopeKeySchema.safeParse(payload.key);
    const limits = parseLimits(payload.limits ?? null);
    if (key.success && limits.ok && !same(overrides.get(key.data), limits.limits)) void apply(key.data, limits.limits);
  });

  const catchUp = async () => {
    try {
      for (const key of [...unshared]) {
        await share(key, overrides.get(key));
        unshared.delete(key);
      }
      const stored = await redis.client.hgetall(OVERRIDES);
      for (const [key, value] of Object.entries(stored)) {
        const limits = parseLimits(value);
        if (ScopeKeySchema.safeParse(key).success && limits.ok && !same(overrides.get(key), limits.limits)) await apply(key, limits.limits);
      }
      // Overrides in budgets.json from before this instance shared them.
      for (const [key, limits] of Object.entries(overrides.all())) if (stored[key] === undefined) await share(key, limits);
    } catch (error) {
      redis.failed('budgets.catch-up', 'local', error);
    }
  };
  bus.onConnect(() => void catchUp());
  // Awaited at start, so a new instance holds the shared limits before it serves.
  return catchUp();
}
