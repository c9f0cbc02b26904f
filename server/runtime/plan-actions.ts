import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule } from '../../shared/rule-file.js';
import { finishOf, planStep } from '../kinds/index.js';
import type { ActionPlan } from './action-plan.js';
import { terminalOf } from './terminal.js';

export type { ActionPlan } from './action-plan.js';

export interface PlanInput {
  request: ChatCompletionRequest;
  facts: RequestFacts;
  /** The caller's key-bound tags (none without a key). */
  boundTags?: Record<string, string> | undefined;
}

const NO_TAGS: Record<string, string> = {};

/** Folds the ordered actions of a rule into a plan, each by its kind's executor. Pure: side effects happen in the caller. */
export function planActions(rule: Rule, { request, facts, boundTags }: PlanInput): ActionPlan {
  const { actions } = rule.event.params;
  const terminal = terminalOf(actions);
  const plan: ActionPlan = {
    request,
    tags: facts.tags,
    boundTags: boundTags ?? NO_TAGS,
    cache: null,
    countRates: [],
    alerts: [],
    trim: null,
    promptCache: null,
    batch: null,
    checkAnswer: null,
    terminal,
    finish: { targets: [], refusal: null, cacheOnly: null },
  };
  for (const action of actions) if (action !== terminal) planStep(plan, action, facts);
  // The terminal is last, so its targets see the request as the steps reshaped it.
  plan.finish = finishOf(terminal, plan.request);
  return plan;
}
