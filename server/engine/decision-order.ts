import type { Rule } from '../../shared/rule-file.js';

/** The priority json-rules-engine actually uses for a rule (rule.js setPriority): `parseInt(priority || 1)`. */
export function effectivePriority(rule: Pick<Rule, 'priority'>): number {
  return Number.parseInt(String(rule.priority || 1), 10);
}

/**
 * Rule indexes in decision order: highest effective priority first, then file order. The
 * decision is the first successful rule in this order. Compiled files have unique priorities;
 * for hand-written files with ties, file order is the tie-break both evaluators share, because
 * json-rules-engine itself only reports every successful rule of a priority level.
 */
export function decisionOrder(rules: readonly Pick<Rule, 'priority'>[]): number[] {
  const priorities = rules.map(effectivePriority);
  return rules
    .map((_, index) => index)
    .sort((a, b) => priorityRank(priorities[b]!) - priorityRank(priorities[a]!) || a - b);
}

/** NaN priorities (only reachable in untyped files) rank last instead of poisoning the sort. */
function priorityRank(priority: number): number {
  return Number.isNaN(priority) ? Number.NEGATIVE_INFINITY : priority;
}
