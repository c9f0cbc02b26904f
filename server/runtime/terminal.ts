import type { ChatCompletionRequest } from '../../shared/api.js';
import type { Action, RouteTarget, TerminalAction } from '../../shared/decision.js';
import { REQUESTED_MODEL, RouteParamsSchema } from '../../shared/nodes/route.js';

/** A degrade to a cheaper model calls it the way a Route node with default settings would. */
const { timeoutMs, retries, backoffMs } = RouteParamsSchema.parse({});

export function terminalOf(actions: readonly Action[]): TerminalAction {
  const last = actions[actions.length - 1];
  if (!last || (last.type !== 'route' && last.type !== 'degrade' && last.type !== 'block')) {
    throw new Error('a decision must end in a route, degrade or block action');
  }
  return last;
}

/** `*` on a route means the model the caller asked for. */
export function resolveModel(model: string, request: ChatCompletionRequest): string {
  return model === REQUESTED_MODEL ? request.model : model;
}

/** The models a terminal action would try, in order: the route, then its fallbacks. */
export function routeTargets(terminal: TerminalAction, request: ChatCompletionRequest): RouteTarget[] {
  if (terminal.type === 'route') {
    const { node, model, provider, timeoutMs, retries, backoffMs } = terminal;
    return [{ node, model, provider, timeoutMs, retries, backoffMs }, ...terminal.fallbacks].map((t) => ({
      ...t,
      model: resolveModel(t.model, request),
    }));
  }
  if (terminal.type === 'degrade' && terminal.mode === 'model') {
    return [{ node: terminal.node, model: resolveModel(terminal.model, request), provider: terminal.provider, timeoutMs, retries, backoffMs }];
  }
  return [];
}
