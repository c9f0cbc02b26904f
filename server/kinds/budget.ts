import { budgetUsedPct } from '../limits/budget-fact.js';
import type { KindExecutor } from './kind-executor.js';

export const budgetExecutor: KindExecutor<'budget'> = {
  plan: null,
  resolveFact: (params, facts, { spend, budgets, now = Date.now }) => budgetUsedPct({ index: spend, params, facts, now: now(), limits: budgets }),
  refusalType: 'budget_exceeded',
};
