import type { RequestFacts } from '../../shared/facts.js';
import { promptTextOf } from '../facts/prompt-text.js';
import { promptShape } from './router-features.js';
import { routerScore, RouterWeightsSchema, type RouterWeights } from './router-model.js';
import weightsJson from './router-weights.json' with { type: 'json' };

/** The shipped weights, checked once at load: a malformed file fails the start, not a request. */
export const ROUTER_WEIGHTS: RouterWeights = RouterWeightsSchema.parse(weightsJson);

/** The score as rules see it, rounded to 6 places so the trace reads cleanly. */
export function roundedRouterScore(text: string, taskType: RequestFacts['taskType'], weights: RouterWeights = ROUTER_WEIGHTS): number {
  return Math.round(routerScore(weights, text, taskType) * 1e6) / 1e6;
}

/**
 * The `routerScore` dynamic fact: the expected accuracy gain of the strong model on this
 * request's last user turn, P(only strong right) − P(only cheap right). The evaluator memoises
 * it per decision, so one request is scored once.
 */
export function routerScoreFact(facts: RequestFacts): number {
  return roundedRouterScore(promptTextOf(facts), facts.taskType);
}

/** The `promptShape` dynamic fact: `choice` or `open`, which threshold of the calibration applies. */
export function promptShapeFact(facts: RequestFacts): string {
  return promptShape(promptTextOf(facts));
}
