import type { z } from 'zod';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { NodeKind } from '../../shared/graph.js';
import type { ActionOf, DynamicFactSpec, NodeSpecs } from '../../shared/nodes/index.js';
import type { ErrorType } from '../errors/http-error.js';
import type { BudgetBook } from '../limits/budget-fact.js';
import type { RateWindows } from '../limits/rate-windows.js';
import type { ActionPlan, Finish } from '../runtime/action-plan.js';
import type { CircuitBreakers } from '../runtime/circuit-breaker.js';
import type { RouterLearner } from '../routing/router-learner.js';

/** The state dynamic facts read. */
export interface FactSources {
  /** Spend, in-flight reservations and limit overrides. */
  book: BudgetBook;
  limiter: RateWindows;
  health: CircuitBreakers;
  /** The learned router's online correction; without it (backtests) the calibrated thresholds hold. */
  router?: RouterLearner;
  /** The clock budgets and rate limits read (a backtest replays recorded times); Date.now unless told. */
  now?: () => number;
}

type ActionFor<K extends NodeKind> = ActionOf<NodeSpecs[K]['action']>;
type FactParamsFor<K extends NodeKind> = NodeSpecs[K]['fact'] extends DynamicFactSpec<infer P> ? z.output<P> : never;

type FactPiece<K extends NodeKind> = [FactParamsFor<K>] extends [never]
  ? { resolveFact: null }
  : { resolveFact(params: FactParamsFor<K>, facts: RequestFacts, sources: FactSources): unknown };

type ActionPiece<K extends NodeKind> = [ActionFor<K>] extends [never]
  ? { plan: null }
  : NodeSpecs[K]['category'] extends 'terminal'
    ? { finish(action: ActionFor<K>, request: ChatCompletionRequest): Finish }
    : { plan(plan: ActionPlan, action: ActionFor<K>, facts: RequestFacts): void };

/**
 * The server's half of a node kind (the spec in shared/nodes/ is the other): how its action
 * folds into the plan (or, for a terminal, how the request ends), how its dynamic fact is
 * resolved, and which error type a refusal behind it gets. The pieces a kind needs follow
 * from its spec, so a kind missing one fails the type check.
 */
export type KindExecutor<K extends NodeKind> = FactPiece<K> &
  ActionPiece<K> & {
    /** A gate (budget, rate limit) names the error type of the refusals it sends requests to; null otherwise. */
    refusalType: ErrorType | null;
  };

export type KindExecutors = { [K in NodeKind]: KindExecutor<K> };
