import type { Condition } from '../../shared/condition.js';
import { BUDGET_FACT, BudgetFactParamsSchema, type BudgetFactParams } from '../../shared/nodes/budget.js';
import type { RuleFile } from '../../shared/rule-file.js';

export interface PolicyBudget extends BudgetFactParams {
  policy: string;
}

const byRuleFile = new WeakMap<RuleFile, PolicyBudget[]>();

/**
 * The distinct budgets a rule file enforces, as its budget conditions carry them (scope, limit,
 * window), in any all/any/not nesting. Computed once per rule file: bookings, alerts, the shared
 * budget read and the dashboard all ask for every request or poll.
 */
export function budgetsOf(ruleFile: RuleFile): PolicyBudget[] {
  const known = byRuleFile.get(ruleFile);
  if (known) return known;
  const found = new Map<string, PolicyBudget>();
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if (c.fact === BUDGET_FACT) {
      const params = BudgetFactParamsSchema.safeParse(c.params ?? {});
      if (params.success) found.set(JSON.stringify(params.data), { ...params.data, policy: ruleFile.policy.id });
    }
  };
  for (const rule of ruleFile.rules) visit(rule.conditions);
  const list = [...found.values()];
  byRuleFile.set(ruleFile, list);
  return list;
}
