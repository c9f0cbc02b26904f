import { budgetUsedPct } from '../limits/budget-fact.js';
import type { KindExecutor } from './kind-executor.js';

export const budgetExecutor: KindExecutor<'budget'> = {
  plan: null,
  resolveFact: (params, facts, { spend, budgets }) => budgetUsedPct(spend, params, facts, Date.now(), budgets),
  refusalType: 'budget_exceeded',
};
