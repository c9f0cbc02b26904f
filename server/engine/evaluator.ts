import type { RuleTrace } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';

/**
 * Resolves a dynamic fact (budgetUsedPct, rateLimited, providerHealthy, splitBucket) for one
 * request. Called only when a condition on the path needs it, at most once per (fact, params)
 * per decision, synchronously: the state behind it lives in memory.
 */
export type DynamicFactResolver = (fact: string, params: Record<string, unknown>, facts: RequestFacts) => unknown;

export interface Explanation {
  match: Rule | null;
  /** Every rule in priority order, whether it matched, and each condition's fact value and result. */
  trace: RuleTrace[];
}

/**
 * Decides which rule of one rule file applies. Built once per published policy version and
 * never mutated, so one instance serves every request concurrently.
 */
export interface PolicyEvaluator {
  readonly ruleFile: RuleFile;
  /** `fast`: compiled closures; `reference`: json-rules-engine, for rule files the fast path cannot prove it handles. */
  readonly mode: 'fast' | 'reference';
  /** The highest-priority rule whose conditions hold, or null. Sync on the fast path. */
  decide(facts: RequestFacts, resolve: DynamicFactResolver): Rule | null | Promise<Rule | null>;
  /** Like decide, with a trace of every rule; for /v1/decide and the editor's simulator, not the hot path. */
  explain(facts: RequestFacts, resolve: DynamicFactResolver): Promise<Explanation>;
}
