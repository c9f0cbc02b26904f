import type { KindExecutor } from './kind-executor.js';

export const budgetExecutor: KindExecutor<'budget'> = {
  plan: null,
  resolveFact: (params, facts, { book }) => book.usedPct(params, facts, Date.now()),
  refusalType: 'budget_exceeded',
};
