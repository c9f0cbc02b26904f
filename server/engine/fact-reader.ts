import { Fact } from 'json-rules-engine';
import type { EvalScope } from './eval-scope.js';

/** Reads one fact's value for the current decision. */
export type FactReader = (scope: EvalScope) => unknown;

/**
 * Thrown (never escapes the fast evaluator) when a value would make json-rules-engine do more
 * than compare it: a function or Fact instance among the facts is computed by the engine, and a
 * thenable is awaited. The fast evaluator then hands this one decision to the reference.
 */
export const NEEDS_REFERENCE: unique symbol = Symbol('needs-reference');

function isThenable(value: unknown): boolean {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function plainValue(value: unknown): unknown {
  if (typeof value === 'function') throw NEEDS_REFERENCE;
  if (typeof value === 'object' && value !== null && (value instanceof Fact || isThenable(value))) throw NEEDS_REFERENCE;
  return value;
}

/**
 * A request fact. json-rules-engine keeps facts in a Map, so a name like `constructor` is
 * undefined unless the request has it: those names need an own-property check, others do not.
 */
export function staticFactReader(name: string): FactReader {
  if (name in Object.prototype) {
    return (scope) => (Object.hasOwn(scope.facts, name) ? plainValue(scope.facts[name]) : undefined);
  }
  return (scope) => plainValue(scope.facts[name]);
}

/**
 * A dynamic fact: resolved on first use in a decision and memoised in its slot. A request fact
 * of the same name wins, as a run fact replaces an engine fact in json-rules-engine.
 */
export function dynamicFactReader(name: string, slot: number, params: unknown): FactReader {
  return (scope) => {
    if (Object.hasOwn(scope.facts, name)) return plainValue(scope.facts[name]);
    if (scope.stamps[slot] === scope.generation) return scope.values[slot];
    const value = scope.resolve(name, params as Record<string, unknown>, scope.requestFacts);
    scope.values[slot] = value;
    scope.stamps[slot] = scope.generation;
    // A resolver's value is awaited, never called: a function is a plain value here.
    if (isThenable(value)) throw NEEDS_REFERENCE;
    return value;
  };
}
