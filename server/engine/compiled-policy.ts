import type { Rule } from '../../shared/rule-file.js';
import { ConditionCompiler, UnsupportedConditionError, type CompiledTest } from './condition-compiler.js';
import { decisionOrder, effectivePriority } from './decision-order.js';
import type { DynamicSlot } from './eval-scope.js';

/** A rule file's conditions compiled for the fast path, rules already in decision order. */
export interface CompiledPolicy {
  readonly rules: readonly Rule[];
  readonly tests: readonly CompiledTest[];
  readonly slots: readonly DynamicSlot[];
}

export type CompileOutcome = { ok: true; policy: CompiledPolicy } | { ok: false; reason: string };

/** Compiles every rule once, or says which construct the fast path leaves to json-rules-engine. */
export function compilePolicy(rules: readonly Rule[]): CompileOutcome {
  const compiler = new ConditionCompiler();
  try {
    if (rules.some((rule) => Number.isNaN(effectivePriority(rule)))) {
      throw new UnsupportedConditionError('a priority that is not a number');
    }
    const ordered = decisionOrder(rules).map((index) => rules[index]!);
    const tests = ordered.map((rule) => compiler.compile(rule.conditions));
    return { ok: true, policy: { rules: ordered, tests, slots: compiler.slots } };
  } catch (error) {
    if (error instanceof UnsupportedConditionError) return { ok: false, reason: error.message };
    throw error;
  }
}
