import type { RuleFile } from '../../shared/rule-file.js';
import type { BudgetWindow } from '../limits/budget-window.js';
import { budgetsOf } from '../limits/policy-budgets.js';

/** A budget a policy may ask about, as far as reading it goes: whose spend, over which window. */
export interface BudgetCandidate {
  scope: string;
  window: BudgetWindow;
}

const byRuleFile = new WeakMap<RuleFile, BudgetCandidate[]>();

/**
 * Every distinct budget (scope and window) a policy's rules may ask about: a shared budget is
 * read before the decision (a Redis round trip cannot happen inside the sync evaluator), so all
 * of them are, in one call. Computed once per rule file, from the same walk as `budgetsOf`.
 */
export function budgetCandidates(ruleFile: RuleFile): BudgetCandidate[] {
  const known = byRuleFile.get(ruleFile);
  if (known) return known;
  const found = new Map<string, BudgetCandidate>();
  for (const { scope, window } of budgetsOf(ruleFile)) found.set(`${window}|${scope}`, { scope, window });
  const list = [...found.values()];
  byRuleFile.set(ruleFile, list);
  return list;
}
