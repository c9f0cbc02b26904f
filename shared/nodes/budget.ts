import { z } from 'zod';
import { describeScope, scopeOwner, ScopeSchema, windowAdjective } from './scope.js';
import { defineFact, defineNode } from './spec.js';
import { WhenRedisDownSchema } from './when-redis-down.js';

export const BudgetParamsSchema = z.object({
  scope: ScopeSchema.default('tag:team'),
  limitUsd: z.number().positive('the limit must be above 0').default(50),
  window: z.enum(['day', 'week', 'month']).default('day'),
  /** Requests take "over" once the scope has spent this share of its limit in the window. */
  thresholdPct: z.number().min(1, 'at least 1%').max(1000, 'at most 1000%').default(100),
  /** While Redis is away (several instances): refuse with a 503 or admit on this instance alone. Unset: TOLLGATE_BUDGET_FAIL_MODE (closed). No default, so compiled output of existing graphs is unchanged. */
  whenRedisDown: WhenRedisDownSchema.optional(),
});

/** The `budgetUsedPct` fact: what the scope spent in the window, as a share of its limit. */
export const BudgetFactParamsSchema = BudgetParamsSchema.pick({ scope: true, limitUsd: true, window: true, whenRedisDown: true });
export type BudgetFactParams = z.output<typeof BudgetFactParamsSchema>;
export const BUDGET_FACT = 'budgetUsedPct';

export const budgetNode = defineNode({
  kind: 'budget',
  title: 'Budget',
  description: 'Checks what the scope has spent in the window against its limit: "ok" below the threshold, "over" at or above it.',
  category: 'branch',
  color: '#d97706',
  icon: '$',
  params: BudgetParamsSchema,
  outputs: () => [
    { id: 'ok', label: 'ok' },
    { id: 'over', label: 'over' },
  ],
  summary: (p) => `$${p.limitUsd}/${p.window} ${describeScope(p.scope)}, over at ${p.thresholdPct}%`,
  labels: { limitUsd: 'Limit (USD)', thresholdPct: 'Over at (% of limit)', whenRedisDown: 'When Redis is down' },
  itemNames: {},
  action: null,
  explain: (p) => {
    const at = (p.limitUsd * p.thresholdPct) / 100;
    const who = scopeOwner(p.scope);
    return `${who[0]!.toUpperCase()}${who.slice(1)} ${windowAdjective(p.window)} budget of $${money(p.limitUsd)}: requests take “over” once $${money(at)} (${p.thresholdPct}%) is spent.`;
  },
  fact: defineFact({ name: BUDGET_FACT, params: BudgetFactParamsSchema, value: z.number().min(0) }),
  live: 'spend',
  leave: (p, handle) => {
    const params = { scope: p.scope, limitUsd: p.limitUsd, window: p.window, ...(p.whenRedisDown ? { whenRedisDown: p.whenRedisDown } : {}) };
    const operator = handle === 'over' ? 'greaterThanInclusive' : 'lessThan';
    return { conditions: [{ fact: BUDGET_FACT, operator, value: p.thresholdPct, params }], actions: [] };
  },
});

const money = (usd: number) => (Number.isInteger(usd) ? String(usd) : usd.toFixed(2));
