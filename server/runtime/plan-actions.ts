import type { ChatCompletionRequest } from '../../shared/api.js';
import type { AlertAction, CacheAction, CountRateAction, TerminalAction } from '../../shared/decision.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule } from '../../shared/rule-file.js';
import { terminalOf } from './terminal.js';
import type { TrimResult } from './trim-request.js';
import { trimRequest } from './trim-request.js';

/** What a matched rule asks the runtime to do, with the request already reshaped by its trim steps. */
export interface ActionPlan {
  request: ChatCompletionRequest;
  /** Request tags plus those the path's tag nodes add, for the ledger. */
  tags: Record<string, string>;
  cache: CacheAction | null;
  countRates: CountRateAction[];
  alerts: AlertAction[];
  trim: TrimResult | null;
  terminal: TerminalAction;
}

/** Folds the ordered actions of a rule into a plan. Pure: side effects happen in the caller. */
export function planActions(rule: Rule, request: ChatCompletionRequest, facts: RequestFacts): ActionPlan {
  const { actions } = rule.event.params;
  const plan: ActionPlan = { request, tags: facts.tags, cache: null, countRates: [], alerts: [], trim: null, terminal: terminalOf(actions) };
  for (const action of actions) {
    switch (action.type) {
      case 'tag':
        plan.tags = { ...plan.tags, ...action.tags };
        break;
      case 'trim':
        plan.trim = trimRequest(plan.request, action, plan.trim?.tokensAfter ?? facts.promptTokens);
        plan.request = plan.trim.request;
        break;
      case 'cache':
        // The last cache step on a path decides how its answers are kept.
        plan.cache = action;
        break;
      case 'countRate':
        plan.countRates.push(action);
        break;
      case 'alert':
        plan.alerts.push(action);
        break;
      default:
        break;
    }
  }
  return plan;
}
