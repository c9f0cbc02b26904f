import type { RequestFacts } from '../../shared/facts.js';
import type { RouterFactParams } from '../../shared/nodes/smart-route.js';
import { promptTextOf } from '../facts/prompt-text.js';
import type { PromptShape } from '../../shared/routing/router-calibration.js';
import { promptShape } from './router-features.js';
import { cheapFirstIsMoot } from './answer-check-threshold.js';
import type { RouterLearner } from './router-learner.js';
import { pointKey } from './router-ref.js';
import { routerScore, RouterWeightsSchema, type RouterWeights } from './router-model.js';
import weightsJson from './router-weights.json' with { type: 'json' };

/** The shipped weights, checked once at load: a malformed file fails the start, not a request. */
export const ROUTER_WEIGHTS: RouterWeights = RouterWeightsSchema.parse(weightsJson);

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The prompts whose cheap answer is checked: open maths questions. The check learned from worked
 * maths answers (it scores plain chat answers as suspect), a multiple-choice answer is one letter
 * with nothing to check, and a stream is out before it could be checked unless the node buffers
 * streams (`streams`). The router sends exactly these cheap first (below), and the runtime's
 * learned check scores exactly these (answer-check-escalation.ts; its format check reads any
 * answer of the cheap branch, whatever the prompt).
 */
export function isCheckedPrompt(facts: Pick<RequestFacts, 'taskType' | 'stream'>, shape: PromptShape, streams = false): boolean {
  return shape === 'open' && facts.taskType === 'math' && (streams || !facts.stream);
}

/** What `routerScore` reads as for a request that tries the cheap model first and has its answer checked. */
const CHEAP_FIRST = -3;
/** What it reads as for such a request once feedback made the check moot (cheapFirstIsMoot). */
const STRAIGHT_TO_STRONG = 3;

/** The score as rules see it, rounded to 6 places so the trace reads cleanly. */
export function roundedRouterScore(text: string, taskType: RequestFacts['taskType'], weights: RouterWeights = ROUTER_WEIGHTS): number {
  return round6(routerScore(weights, text, taskType));
}

/** Scores by facts object: the ledger's router record reuses the score the decision computed. */
const scoresByFacts = new WeakMap<RequestFacts, number>();

/** The shipped router's score for a request's last user turn, computed once per facts object. */
export function requestRouterScore(facts: RequestFacts): number {
  const known = scoresByFacts.get(facts);
  if (known !== undefined) return known;
  const score = roundedRouterScore(promptTextOf(facts), facts.taskType);
  scoresByFacts.set(facts, score);
  return score;
}

/**
 * The `routerScore` dynamic fact: the expected accuracy gain of the strong model on this
 * request's last user turn, minus the threshold the compiler put in the params for the
 * prompt's shape (moved by the online correction when a learner is given); at or above 0 the
 * request goes strong. The evaluator memoises it per decision, so one request is scored once.
 */
export function routerScoreFact(params: RouterFactParams, facts: RequestFacts, online?: { learner: RouterLearner; now: number }): number {
  const text = promptTextOf(facts);
  const shape = promptShape(text);
  if (params.checkOpenAnswers && isCheckedPrompt(facts, shape, params.checkStreams)) return online && checkIsMoot(params, shape, facts.taskType, online) ? STRAIGHT_TO_STRONG : CHEAP_FIRST;
  const threshold = online ? online.learner.thresholdFor({ params, shape, taskType: facts.taskType, now: online.now }) : params.thresholds[shape];
  return round6(requestRouterScore(facts) - threshold);
}

/** Whether feedback moved this checked cell so far that the cheap call would nearly always be paid for twice. */
export function checkIsMoot(params: RouterFactParams, shape: PromptShape, taskType: RequestFacts['taskType'], online: { learner: RouterLearner; now: number }): boolean {
  const point = pointKey(params);
  const shift = online.learner.shiftOf({ point, shape, taskType, now: online.now });
  const qualityTarget = online.learner.qualityTargetOf(point);
  return shift > 0 && qualityTarget !== null && cheapFirstIsMoot(qualityTarget, shift);
}
