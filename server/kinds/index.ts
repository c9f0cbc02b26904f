import type { ChatCompletionRequest } from '../../shared/api.js';
import type { Action, TerminalAction } from '../../shared/decision.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { NodeKind } from '../../shared/graph.js';
import { actionKind, NODE_SPECS } from '../../shared/nodes/index.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { ErrorType } from '../errors/http-error.js';
import type { ActionPlan, Finish } from '../runtime/action-plan.js';
import { alertExecutor } from './alert.js';
import { batchExecutor } from './batch.js';
import { blockExecutor } from './block.js';
import { budgetExecutor } from './budget.js';
import { cacheExecutor } from './cache.js';
import { degradeExecutor } from './degrade.js';
import type { FactSources, KindExecutors } from './kind-executor.js';
import { passThroughExecutor } from './pass-through.js';
import { promptCacheExecutor } from './prompt-cache.js';
import { providerHealthExecutor } from './provider-health.js';
import { rateLimitExecutor } from './rate-limit.js';
import { routeExecutor } from './route.js';
import { smartRouteExecutor } from './smart-route.js';
import { splitExecutor } from './split.js';
import { tagExecutor } from './tag.js';
import { trimExecutor } from './trim.js';

/** The server's half of every node kind; a kind in NODE_KINDS without an executor fails the type check. */
export const KIND_EXECUTORS = {
  request: passThroughExecutor,
  condition: passThroughExecutor,
  switch: passThroughExecutor,
  split: splitExecutor,
  budget: budgetExecutor,
  smartRoute: smartRouteExecutor,
  rateLimit: rateLimitExecutor,
  providerHealth: providerHealthExecutor,
  cache: cacheExecutor,
  trim: trimExecutor,
  promptCache: promptCacheExecutor,
  batch: batchExecutor,
  tag: tagExecutor,
  alert: alertExecutor,
  route: routeExecutor,
  degrade: degradeExecutor,
  block: blockExecutor,
} satisfies KindExecutors;

/** The executor pieces with their per-kind types forgotten, for code that handles every kind alike. */
interface AnyExecutor {
  plan?: ((plan: ActionPlan, action: Action, facts: RequestFacts) => void) | null;
  finish?: (action: Action, request: ChatCompletionRequest) => Finish;
  resolveFact: ((params: never, facts: RequestFacts, sources: FactSources) => unknown) | null;
  refusalType: ErrorType | null;
}

function executor(kind: NodeKind): AnyExecutor {
  return KIND_EXECUTORS[kind] as AnyExecutor;
}

function executorOfAction(action: Action): AnyExecutor {
  return executor(actionKind(action.type));
}

/** Folds one step action into the plan. */
export function planStep(plan: ActionPlan, action: Action, facts: RequestFacts): void {
  executorOfAction(action).plan?.(plan, action, facts);
}

/** How the request ends under its terminal action. */
export function finishOf(action: TerminalAction, request: ChatCompletionRequest): Finish {
  return executorOfAction(action).finish!(action, request);
}

export function refusalTypeOf(kind: NodeKind): ErrorType | null {
  return executor(kind).refusalType;
}

/** Resolves each dynamic fact with the executor of the kind whose spec declares it. */
export function dynamicFactResolver(sources: FactSources): DynamicFactResolver {
  const byFact = new Map<string, NonNullable<AnyExecutor['resolveFact']>>();
  for (const kind of Object.keys(NODE_SPECS) as NodeKind[]) {
    const fact = NODE_SPECS[kind].fact;
    const resolve = executor(kind).resolveFact;
    if (fact && resolve) byFact.set(fact.name, resolve);
  }
  return (fact, params, facts) => byFact.get(fact)?.(params as never, facts, sources);
}
