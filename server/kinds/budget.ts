import type { KindExecutor } from './kind-executor.js';

export const budgetExecutor: KindExecutor<'budget'> = {
  plan: null,
  resolveFact: (params, facts, { book, now = Date.now }) => book.usedPct(params, facts, now()),
  refusalType: 'budget_exceeded',
};
