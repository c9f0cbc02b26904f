import type { RouterExplanation } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import { DENSE_FEATURES, HASH_DIM, hashedTerms, routerFeatures } from './router-features.js';
import { linearScore, sigmoid, type RouterWeights } from './router-model.js';
import { ROUTER_WEIGHTS } from './router-fact.js';

const REASONS = 5;
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The learned router's score for a prompt with its reasons: each feature's pull on the two
 * heads' log-odds (gain minus loss), the strongest first. Hashed slots are named by the words of
 * the prompt that land in them. For /v1/decide and the simulator, not the hot path.
 */
export function explainRouterScore(text: string, taskType: RequestFacts['taskType'], weights: RouterWeights = ROUTER_WEIGHTS): RouterExplanation {
  const x = routerFeatures(text, taskType);
  const { gain, loss } = weights.heads;
  const cheapWrong = sigmoid(linearScore(gain, x));
  const strongWrong = sigmoid(linearScore(loss, x));
  const termsBySlot = new Map<number, string[]>();
  for (const { term, slot } of hashedTerms(text)) {
    const terms = termsBySlot.get(slot) ?? [];
    if (!terms.includes(term)) terms.push(term);
    termsBySlot.set(slot, terms);
  }
  const reasons = x.indices
    .map((slot, k) => {
      const effect = (gain.weights[slot]! - loss.weights[slot]!) * x.values[k]!;
      const feature = slot >= HASH_DIM ? DENSE_FEATURES[slot - HASH_DIM]! : `"${(termsBySlot.get(slot) ?? ['?']).join('" / "')}"`;
      return { feature, effect: round(effect) };
    })
    .filter((r) => r.effect !== 0)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, REASONS);
  return { version: weights.version, score: round(cheapWrong - strongWrong), cheapWrong: round(cheapWrong), strongWrong: round(strongWrong), reasons };
}
