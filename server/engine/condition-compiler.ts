import { dataKey } from './data-key.js';
import { isDynamicFact } from './dynamic-facts.js';
import type { DynamicSlot, EvalScope } from './eval-scope.js';
import { bindOperator, isBuiltInOperator } from './fact-operators.js';
import { dynamicFactReader, staticFactReader, type FactReader } from './fact-reader.js';
import { applyFactPath, parseSimplePath } from './json-path.js';

/** One condition tree compiled to a closure; sync, allocation-free per call. */
export type CompiledTest = (scope: EvalScope) => boolean;

/** A construct the fast path does not reproduce; the file goes to the reference evaluator. */
export class UnsupportedConditionError extends Error {}

/** Run-fact name the reference evaluator reserves for the per-run resolver. */
export const RESOLVER_FACT = '__resolve';

type Json = Record<string, unknown>;

const ALWAYS: CompiledTest = () => true;

/**
 * Compiles json-rules-engine condition JSON into closures with the same boolean result.
 * Dynamic facts get one memo slot per distinct (fact, params), shared by every rule of the file.
 */
export class ConditionCompiler {
  readonly slots: DynamicSlot[] = [];
  private readonly slotIds = new Map<string, number>();

  compile(condition: unknown): CompiledTest {
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
      throw new UnsupportedConditionError('a condition is not an object');
    }
    const node = condition as Json;
    // Same precedence as json-rules-engine's Condition.booleanOperator.
    if (Object.hasOwn(node, 'any')) return this.group(node['any'], 'any');
    if (Object.hasOwn(node, 'all')) return this.group(node['all'], 'all');
    if (Object.hasOwn(node, 'not')) return this.negate(node['not']);
    if (Object.hasOwn(node, 'condition')) throw new UnsupportedConditionError('condition references');
    return this.fact(node);
  }

  private group(children: unknown, kind: 'all' | 'any'): CompiledTest {
    if (!Array.isArray(children)) throw new UnsupportedConditionError(`"${kind}" is not an array`);
    // json-rules-engine evaluates higher-priority children first and short-circuits between
    // priority levels; walking in that order keeps the dynamic facts we resolve a subset of its.
    const tests = byConditionPriority(children).map((child) => this.compile(child));
    // An empty group is true for "any" as well as "all" (rule.js prioritizeAndRun).
    if (tests.length === 0) return ALWAYS;
    if (tests.length === 1) return tests[0]!;
    if (tests.length === 2) {
      const [a, b] = tests as [CompiledTest, CompiledTest];
      return kind === 'all' ? (s) => a(s) && b(s) : (s) => a(s) || b(s);
    }
    if (kind === 'all') {
      return (s) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i]!(s)) return false;
        return true;
      };
    }
    return (s) => {
      for (let i = 0; i < tests.length; i++) if (tests[i]!(s)) return true;
      return false;
    };
  }

  private negate(child: unknown): CompiledTest {
    if (Array.isArray(child)) throw new UnsupportedConditionError('"not" is an array');
    const test = this.compile(child);
    return (s) => !test(s);
  }

  private fact(node: Json): CompiledTest {
    const { fact, operator, value, path, params } = node;
    if (typeof fact !== 'string' || fact === '' || fact === RESOLVER_FACT) {
      throw new UnsupportedConditionError(`fact name ${String(fact)}`);
    }
    if (!isBuiltInOperator(operator)) throw new UnsupportedConditionError(`operator ${String(operator)}`);
    if (value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact')) {
      throw new UnsupportedConditionError('a fact reference as the value');
    }
    // json-rules-engine compares against a clone of the rule's value, so an object value never
    // equals a fact value by identity; a private frozen copy behaves the same.
    if (dataKey(value) === null) throw new UnsupportedConditionError('a value that is not plain data');
    const op = bindOperator(operator, deepFreeze(structuredClone(value)));
    if (!op) throw new UnsupportedConditionError(`operator ${operator} with a value it cannot search`);
    const read = this.reader(fact, params);
    // A falsy path is ignored by json-rules-engine's almanac.
    if (!path) return (s) => op(read(s));
    if (typeof path !== 'string') throw new UnsupportedConditionError('a path that is not a string');
    const segments = parseSimplePath(path);
    if (!segments) throw new UnsupportedConditionError(`JSONPath ${path}`);
    return (s) => op(applyFactPath(read(s), segments));
  }

  private reader(fact: string, rawParams: unknown): FactReader {
    if (!isDynamicFact(fact)) return staticFactReader(fact);
    // The almanac defaults missing params to {} (almanac.js factValue).
    const params = rawParams === undefined ? {} : rawParams;
    const paramsId = dataKey(params);
    if (paramsId === null) throw new UnsupportedConditionError('params that are not plain data');
    const key = `${fact}\u0000${paramsId}`;
    let slot = this.slotIds.get(key);
    if (slot === undefined) {
      slot = this.slots.length;
      this.slotIds.set(key, slot);
      this.slots.push({ fact, params: deepFreeze(structuredClone(params)), key });
    }
    return dynamicFactReader(fact, slot, this.slots[slot]!.params);
  }
}

/** Condition and fact priorities as json-rules-engine reads them: `parseInt(priority) || 1`. */
function conditionPriority(condition: unknown): number {
  const raw = typeof condition === 'object' && condition !== null ? (condition as Json)['priority'] : undefined;
  return Number.parseInt(raw as string, 10) || 1;
}

function byConditionPriority(children: readonly unknown[]): unknown[] {
  return children
    .map((child, index) => ({ child, index, priority: conditionPriority(child) }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .map(({ child }) => child);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
