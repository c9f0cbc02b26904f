import { BUDGET_FACT, BudgetFactParamsSchema, type BudgetFactParams } from '../../shared/nodes/budget.js';
import type { Condition, Rule } from '../../shared/rule-file.js';
import type { BudgetView } from './budget-fact.js';
import type { ScopeSubject } from './scope-key.js';

/** A budget a rule passed on its "ok" side: `budgetUsedPct < thresholdPct` (or `<=`). */
export interface BudgetGate {
  params: BudgetFactParams;
  thresholdPct: number;
  inclusive: boolean;
}

/** The budgets on one rule's path, read once from its conditions. */
export interface PathBudgets {
  /** Ok-side conditions: limits the request must fit under. */
  gates: BudgetGate[];
  /** The distinct scopes (`tag:team`, `global`...) of every budget on the path, either side: where a reservation is held. */
  scopes: string[];
}

const budgetsByRule = new WeakMap<Rule, PathBudgets>();

/**
 * The budget conditions a rule requires. Only conditions every match needs count (nested
 * `all`): one inside an `any` or a `not` may not be what the rule matched on. Memoised per
 * rule object, which lives as long as its policy version.
 */
export function pathBudgets(rule: Rule): PathBudgets {
  let budgets = budgetsByRule.get(rule);
  if (!budgets) {
    budgets = { gates: [], scopes: [] };
    collect(rule.conditions, budgets);
    budgetsByRule.set(rule, budgets);
  }
  return budgets;
}

function collect(condition: Condition, into: PathBudgets): void {
  if ('all' in condition) {
    for (const c of condition.all) collect(c, into);
    return;
  }
  if (!('fact' in condition) || condition.fact !== BUDGET_FACT || typeof condition.value !== 'number') return;
  const params = BudgetFactParamsSchema.safeParse(condition.params);
  if (!params.success) return;
  if (!into.scopes.includes(params.data.scope)) into.scopes.push(params.data.scope);
  if (condition.operator !== 'lessThan' && condition.operator !== 'lessThanInclusive') return;
  into.gates.push({ params: params.data, thresholdPct: condition.value, inclusive: condition.operator === 'lessThanInclusive' });
}

/** What one request asks the budgets for. */
export interface BudgetAsk {
  /** Whose budgets: the request's facts, as the `budgetUsedPct` fact reads them. */
  subject: ScopeSubject;
  estimateMicros: number;
  now: number;
}

/**
 * The first gate the request would break by adding its estimate to what its scope has spent
 * and reserved: used + estimate must stay within limit x threshold. Null when it fits under
 * all of them.
 */
export function firstBreach(book: BudgetView, gates: readonly BudgetGate[], ask: BudgetAsk): BudgetGate | null {
  for (const gate of gates) {
    const { usedMicros, limitMicros } = book.usage(gate.params, ask.subject, ask.now);
    // Both sides times 100 keeps integers on the left; the threshold may be fractional.
    if ((usedMicros + ask.estimateMicros) * 100 > limitMicros * gate.thresholdPct) return gate;
  }
  return null;
}
