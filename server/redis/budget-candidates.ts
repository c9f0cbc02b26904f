import type { Condition } from '../../shared/condition.js';
import { BUDGET_FACT, BudgetFactParamsSchema } from '../../shared/nodes/budget.js';
import type { RuleFile } from '../../shared/rule-file.js';
import type { BudgetWindow } from '../limits/budget-window.js';

/** A budget a policy may ask about, as far as reading it goes: whose spend, over which window. */
export interface BudgetCandidate {
  scope: string;
  window: BudgetWindow;
}

const byRuleFile = new WeakMap<RuleFile, BudgetCandidate[]>();

/**
 * Every distinct budget (scope and window) a policy's rules may ask about: a shared budget is
 * read before the decision (a Redis round trip cannot happen inside the sync evaluator), so all
 * of them are, in one call. Computed once per rule file.
 */
export function budgetCandidates(ruleFile: RuleFile): BudgetCandidate[] {
  const known = byRuleFile.get(ruleFile);
  if (known) return known;
  const found = new Map<string, BudgetCandidate>();
  const visit = (condition: Condition): void => {
    if ('all' in condition) return condition.all.forEach(visit);
    if ('any' in condition) return condition.any.forEach(visit);
    if ('not' in condition) return visit(condition.not);
    if (condition.fact !== BUDGET_FACT) return;
    const params = BudgetFactParamsSchema.safeParse(condition.params ?? {});
    if (params.success) found.set(`${params.data.window}|${params.data.scope}`, { scope: params.data.scope, window: params.data.window });
  };
  for (const rule of ruleFile.rules) visit(rule.conditions);
  const list = [...found.values()];
  byRuleFile.set(ruleFile, list);
  return list;
}
