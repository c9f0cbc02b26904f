import type { ChatCompletionRequest } from '../../shared/api.js';
import type { Action, TerminalAction } from '../../shared/decision.js';
import { actionKind, nodeSpec } from '../../shared/nodes/index.js';
import { REQUESTED_MODEL } from '../../shared/nodes/route.js';

export function terminalOf(actions: readonly Action[]): TerminalAction {
  const last = actions[actions.length - 1];
  if (!last || nodeSpec(actionKind(last.type)).category !== 'terminal') {
    throw new Error('a decision must end in the action of a terminal node (route, degrade, block...)');
  }
  return last as TerminalAction;
}

/** `*` on a route means the model the caller asked for. */
export function resolveModel(model: string, request: ChatCompletionRequest): string {
  return model === REQUESTED_MODEL ? request.model : model;
}
