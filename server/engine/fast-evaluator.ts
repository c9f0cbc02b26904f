import type { RequestFacts } from '../../shared/facts.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';
import type { CompiledPolicy } from './compiled-policy.js';
import { beginDecision, createScope, endDecision, type EvalScope } from './eval-scope.js';
import type { DynamicFactResolver, Explanation, PolicyEvaluator } from './evaluator.js';
import { NEEDS_REFERENCE } from './fact-reader.js';
import { dataKey } from './data-key.js';

/**
 * Decides with closures compiled once from the rule JSON: the first rule in decision order
 * whose conditions hold. Sync and Promise-free unless a fact value needs json-rules-engine
 * (see NEEDS_REFERENCE), in which case that one decision goes to the reference evaluator.
 */
export class FastEvaluator implements PolicyEvaluator {
  readonly mode = 'fast' as const;
  /** Reused by every decision; a re-entrant call (a resolver deciding again) gets its own. */
  private readonly scope: EvalScope;
  private busy = false;

  constructor(
    readonly ruleFile: RuleFile,
    private readonly policy: CompiledPolicy,
    private readonly reference: PolicyEvaluator,
  ) {
    this.scope = createScope(policy.slots.length);
  }

  decide(facts: RequestFacts, resolve: DynamicFactResolver): Rule | null | Promise<Rule | null> {
    const reentrant = this.busy;
    const scope = reentrant ? createScope(this.policy.slots.length) : this.scope;
    this.busy = true;
    beginDecision(scope, facts, resolve);
    try {
      const { tests, rules } = this.policy;
      for (let i = 0; i < tests.length; i++) {
        if (tests[i]!(scope)) return rules[i]!;
      }
      return null;
    } catch (error) {
      if (error !== NEEDS_REFERENCE) throw error;
      return this.reference.decide(facts, this.reuseResolved(scope, resolve));
    } finally {
      endDecision(scope);
      if (!reentrant) this.busy = false;
    }
  }

  /** The trace comes from json-rules-engine itself; its match is the same rule decide() returns. */
  explain(facts: RequestFacts, resolve: DynamicFactResolver): Promise<Explanation> {
    return this.reference.explain(facts, resolve);
  }

  /** Keeps "at most once per (fact, params) per decision" when a decision moves to the reference. */
  private reuseResolved(scope: EvalScope, resolve: DynamicFactResolver): DynamicFactResolver {
    const known = new Map<string, unknown>();
    this.policy.slots.forEach((slot, index) => {
      if (scope.stamps[index] === scope.generation) known.set(slot.key, scope.values[index]);
    });
    return (fact, params, facts) => {
      const key = `${fact}\u0000${dataKey(params)}`;
      if (known.has(key)) return known.get(key);
      const value = resolve(fact, params, facts);
      known.set(key, value);
      return value;
    };
  }
}
