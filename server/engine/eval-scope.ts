import type { RequestFacts } from '../../shared/facts.js';
import type { DynamicFactResolver } from './evaluator.js';

/**
 * Per-decision working state of the fast evaluator. One scope is reused across decisions:
 * bumping `generation` invalidates every memoised dynamic fact at once, without clearing arrays.
 */
export interface EvalScope {
  facts: Record<string, unknown>;
  requestFacts: RequestFacts;
  resolve: DynamicFactResolver;
  generation: number;
  /** Per dynamic slot: the generation its value was resolved in. */
  readonly stamps: Uint32Array;
  readonly values: unknown[];
}

/** One distinct (dynamic fact, params) pair of a rule file: resolved at most once per decision. */
export interface DynamicSlot {
  readonly fact: string;
  readonly params: unknown;
  readonly key: string;
}

const NO_FACTS = Object.freeze({}) as RequestFacts;
const NO_RESOLVER: DynamicFactResolver = () => undefined;

export function createScope(slotCount: number): EvalScope {
  return {
    facts: NO_FACTS,
    requestFacts: NO_FACTS,
    resolve: NO_RESOLVER,
    generation: 0,
    stamps: new Uint32Array(slotCount),
    values: new Array<unknown>(slotCount).fill(undefined),
  };
}

/** Starts a decision: binds its inputs and invalidates the previous decision's memo. */
export function beginDecision(scope: EvalScope, facts: RequestFacts, resolve: DynamicFactResolver): void {
  scope.facts = facts as unknown as Record<string, unknown>;
  scope.requestFacts = facts;
  scope.resolve = resolve;
  scope.generation = (scope.generation + 1) >>> 0;
  if (scope.generation === 0) {
    // Wrapped after 2^32 decisions: old stamps could collide with the new generation numbers.
    scope.stamps.fill(0);
    scope.generation = 1;
  }
}

/** Drops references to the request so the reused scope does not keep it alive between decisions. */
export function endDecision(scope: EvalScope): void {
  scope.facts = NO_FACTS;
  scope.requestFacts = NO_FACTS;
  scope.resolve = NO_RESOLVER;
}
