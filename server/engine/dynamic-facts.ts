import { DYNAMIC_FACTS, type DynamicFactName } from '../../shared/facts.js';
import type { Condition, RuleFile } from '../../shared/rule-file.js';

const DYNAMIC_FACT_SET: ReadonlySet<string> = new Set(DYNAMIC_FACTS);

export { DYNAMIC_FACTS };

export function isDynamicFact(name: string): name is DynamicFactName {
  return DYNAMIC_FACT_SET.has(name);
}

/** The dynamic facts any condition of the file tests, so a runtime can skip preparing state nobody reads. */
export function dynamicFactsUsed(ruleFile: RuleFile): Set<DynamicFactName> {
  const used = new Set<DynamicFactName>();
  const visit = (condition: Condition): void => {
    if ('all' in condition) condition.all.forEach(visit);
    else if ('any' in condition) condition.any.forEach(visit);
    else if ('not' in condition) visit(condition.not);
    else if (isDynamicFact(condition.fact)) used.add(condition.fact);
  };
  for (const rule of ruleFile.rules) visit(rule.conditions);
  return used;
}

export function usesDynamicFacts(ruleFile: RuleFile): boolean {
  return dynamicFactsUsed(ruleFile).size > 0;
}
