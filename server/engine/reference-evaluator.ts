import { Engine, type Almanac, type RuleResult } from 'json-rules-engine';
import type { RuleTrace } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';
import { RESOLVER_FACT } from './condition-compiler.js';
import { conditionTrace } from './condition-trace.js';
import { decisionOrder, effectivePriority } from './decision-order.js';
import { DYNAMIC_FACTS } from './dynamic-facts.js';
import type { DynamicFactResolver, Explanation, PolicyEvaluator } from './evaluator.js';

/** Wrapped in an object because json-rules-engine would call a function-valued run fact as a fact. */
type RunResolver = { resolve(fact: string, params: Record<string, unknown>): unknown };

/**
 * json-rules-engine itself: the reference semantics, and the evaluator for files the fast path
 * does not handle. One Engine per rule file, its dynamic facts registered once; each run gets
 * its resolver as a run fact, so nothing on the engine changes per request.
 */
export class ReferenceEvaluator implements PolicyEvaluator {
  readonly mode = 'reference' as const;
  private readonly engine: Engine;
  /** Decision position of each rule index: rules sorted by priority, then file order. */
  private readonly rank: number[];
  /**
   * The engine keeps one `status` for all runs: when one run finishes it marks the engine
   * FINISHED and any run still in flight skips its remaining priority levels (engine.js
   * evaluateRules). Runs therefore go one at a time through this chain.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly ruleFile: RuleFile) {
    // Rule names become indexes inside the engine so results map back to rules even when
    // names repeat; the trace reports the real names. Conditions are copied because the engine
    // rewrites condition priorities in place (condition.js) and the rule file must stay as loaded.
    const rules = ruleFile.rules.map((rule, index) => ({
      ...rule,
      name: String(index),
      conditions: structuredClone(rule.conditions),
    }));
    this.engine = new Engine(rules, { allowUndefinedFacts: true });
    for (const fact of DYNAMIC_FACTS) {
      this.engine.addFact(fact, (params: Record<string, unknown>, almanac: Almanac) =>
        almanac.factValue<RunResolver>(RESOLVER_FACT).then((holder) => holder.resolve(fact, params)),
      );
    }
    this.rank = new Array<number>(ruleFile.rules.length);
    decisionOrder(ruleFile.rules).forEach((index, position) => {
      this.rank[index] = position;
    });
  }

  async decide(facts: RequestFacts, resolve: DynamicFactResolver): Promise<Rule | null> {
    return (await this.explain(facts, resolve)).match;
  }

  explain(facts: RequestFacts, resolve: DynamicFactResolver): Promise<Explanation> {
    const run = this.queue.then(() => this.run(facts, resolve));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(facts: RequestFacts, resolve: DynamicFactResolver): Promise<Explanation> {
    const runResolver: RunResolver = { resolve: (fact, params) => resolve(fact, params, facts) };
    const { results, failureResults } = await this.engine.run({ ...facts, [RESOLVER_FACT]: runResolver });
    const evaluated = [...results, ...failureResults]
      .map((result) => ({ result, index: Number(result.name) }))
      .sort((a, b) => this.rank[a.index]! - this.rank[b.index]!);
    const trace = evaluated.map(({ result, index }) => this.ruleTrace(result, index));
    const first = evaluated.find(({ result }) => result.result === true);
    return { match: first ? this.ruleFile.rules[first.index]! : null, trace };
  }

  private ruleTrace(result: RuleResult, index: number): RuleTrace {
    const rule = this.ruleFile.rules[index]!;
    const matched = result.result === true;
    // The engine records results on nested groups only; the root's result is the rule's.
    const conditions = { ...conditionTrace(result.conditions), result: matched };
    return { rule: rule.name, priority: effectivePriority(rule), matched, conditions };
  }
}
