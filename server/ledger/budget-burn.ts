import type { BudgetBurn } from '../../shared/usage-api.js';
import { usdToMicros } from '../../shared/usage-api.js';
import type { BudgetLimits } from '../limits/budget-fact.js';
import type { PolicyBudget } from '../limits/policy-budgets.js';
import { windowStart, type BudgetWindow } from '../limits/budget-window.js';
import { scopeKey } from '../limits/scope-key.js';
import { HOUR_MS, unitsToMicros, type UsageRollups } from './usage-rollups.js';

export function windowEnd(window: BudgetWindow, start: number): number {
  const d = new Date(start);
  if (window === 'day') return start + 24 * HOUR_MS;
  if (window === 'week') return start + 7 * 24 * HOUR_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Burn per budget scope value (each team under a `tag:team` budget...) in the window running at
 * `now`: spend per hour since the window began, for a burn-down and a forecast. Limits are the
 * override for the scope value if there is one, else the node's.
 */
export function budgetBurn({ rollups, budgets, limits, now }: { rollups: UsageRollups; budgets: readonly PolicyBudget[]; limits: BudgetLimits; now: number }): BudgetBurn[] {
  const out = new Map<string, BudgetBurn>();
  for (const budget of budgets) {
    const start = windowStart(budget.window, now);
    const end = windowEnd(budget.window, start);
    const hours = Math.ceil((now + 1 - start) / HOUR_MS);
    const hourly = new Map<string, number[]>();
    const add = (key: string, at: number, cost: number) => {
      let row = hourly.get(key);
      if (!row) hourly.set(key, (row = Array.from({ length: hours }, () => 0)));
      row[Math.floor((at - start) / HOUR_MS)]! += cost;
    };
    rollups.visit(start, start + hours * HOUR_MS, 'hour', (at, bucket) => {
      if (budget.scope === 'user') {
        for (const [user, t] of bucket.users) add(`user=${user}`, at, t.cost);
        return;
      }
      for (const cell of bucket.cells) add(scopeKey(budget.scope, { tags: cell.dims.tags, serviceKey: cell.dims.serviceKey, user: '' }), at, cell.totals.cost);
    });
    for (const [key, row] of hourly) {
      const override = limits.limitFor(key, budget.window);
      const limitMicros = usdToMicros(override ?? budget.limitUsd);
      const id = `${key}\u0000${budget.window}\u0000${limitMicros}`;
      const existing = out.get(id);
      const source = override !== undefined ? 'override' : budget.policy;
      if (existing) {
        if (!existing.source.includes(source)) existing.source.push(source);
        continue;
      }
      const hourlyMicros = row.map(unitsToMicros);
      out.set(id, {
        scope: key,
        window: budget.window,
        limitMicros,
        spentMicros: hourlyMicros.reduce((a, b) => a + b, 0),
        windowStart: new Date(start).toISOString(),
        windowEnd: new Date(end).toISOString(),
        hourlyMicros,
        source: [source],
      });
    }
  }
  return [...out.values()].sort((a, b) => b.spentMicros / b.limitMicros - a.spentMicros / a.limitMicros || (a.scope < b.scope ? -1 : 1));
}
