import type { Condition } from '../../shared/condition.js';
import { RateFactParamsSchema, type RateFactParams } from '../../shared/nodes/rate-limit.js';
import type { RuleFile } from '../../shared/rule-file.js';

const byRuleFile = new WeakMap<RuleFile, RateFactParams[]>();

/**
 * Every distinct rate limit a policy's rules may ask about. A shared limit is admitted before
 * the decision (a Redis round trip cannot happen inside the sync evaluator), so all of them are;
 * those the path taken does not count are refunded right after. Computed once per rule file.
 */
export function rateCandidates(ruleFile: RuleFile): RateFactParams[] {
  const known = byRuleFile.get(ruleFile);
  if (known) return known;
  const found = new Map<string, RateFactParams>();
  const visit = (condition: Condition): void => {
    if ('all' in condition) return condition.all.forEach(visit);
    if ('any' in condition) return condition.any.forEach(visit);
    if ('not' in condition) return visit(condition.not);
    if (condition.fact !== 'rateLimited') return;
    const params = RateFactParamsSchema.parse(condition.params ?? {});
    found.set(JSON.stringify([params.scope, params.rpm, params.tpm]), params);
  };
  for (const rule of ruleFile.rules) visit(rule.conditions);
  const list = [...found.values()];
  byRuleFile.set(ruleFile, list);
  return list;
}
