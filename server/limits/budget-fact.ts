import type { BudgetFactParams } from '../../shared/nodes/budget.js';
import type { BudgetWindow } from './budget-window.js';
import { scopeKey, type ScopeSubject } from './scope-key.js';
import type { SpendIndex } from './spend-index.js';

/** Per-scope-value limits that replace a budget node's own (see BudgetOverrides). */
export interface BudgetLimits {
  limitFor(key: string, window: BudgetWindow): number | undefined;
}

/**
 * The `budgetUsedPct` dynamic fact: what the request's scope has spent in the window, as a
 * percentage of its limit (the override for that scope value if there is one). A limit of 0
 * means nothing may be spent: Infinity, always over.
 */
export function budgetUsedPct({ index, params, facts, now, limits }: { index: SpendIndex; params: BudgetFactParams; facts: ScopeSubject; now: number; limits?: BudgetLimits }): number {
  const key = scopeKey(params.scope, facts);
  const limit = limits?.limitFor(key, params.window) ?? params.limitUsd;
  const spent = index.spent(key, params.window, now);
  if (!(limit > 0)) return Infinity;
  return (spent / limit) * 100;
}
