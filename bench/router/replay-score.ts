import { estimateCost } from '../../shared/cost.js';
import type { PricingTable } from '../../shared/pricing.js';
import { countPromptTokens, countTextTokens } from '../../server/facts/tokens.js';
import type { RoutingSample } from './routing-data.js';

/** Models scored with the strong model's recorded answers; everything cheaper is scored with the cheap one's. */
export const PREMIUM_MODELS: ReadonlySet<string> = new Set(['gpt-4o', 'gpt-4.1', 'o3-mini', 'claude-sonnet-4-20250514', 'claude-opus-4-20250514']);
/** The two models every replay compares against. */
export const STRONG_MODEL = 'gpt-4o';
export const CHEAP_MODEL = 'gpt-4o-mini';
/** With no recorded answer (MMLU), the answer is one letter. */
const UNRECORDED_ANSWER_TOKENS = 1;

export interface Tally {
  requests: number;
  right: number;
  premium: number;
  costUsd: number;
}

/** Scores one routing of the samples: each gets the routed model's recorded right/wrong, and its price. */
export function tally(samples: readonly RoutingSample[], modelOf: (s: RoutingSample, i: number) => string, pricing: PricingTable): Tally {
  const t: Tally = { requests: 0, right: 0, premium: 0, costUsd: 0 };
  samples.forEach((s, i) => {
    const model = modelOf(s, i);
    const price = pricing.models[model];
    if (!price) throw new Error(`${model} has no price`);
    const strong = PREMIUM_MODELS.has(model);
    const answer = strong ? s.strongAnswer : s.cheapAnswer;
    const outputTokens = answer === undefined ? UNRECORDED_ANSWER_TOKENS : countTextTokens(answer);
    t.requests++;
    t.premium += strong ? 1 : 0;
    t.right += (strong ? s.strongRight : s.cheapRight) ? 1 : 0;
    t.costUsd += estimateCost({ inputTokens: countPromptTokens([{ role: 'user', content: s.prompt }]), outputTokens }, price);
  });
  return t;
}

/** The bench's final line, in the field order. */
export interface ReplaySummary {
  accuracy: number;
  premiumAccuracy: number;
  qualityRatio: number;
  costCut: number;
  premiumShare: number;
  prompts: number;
}

export function summarize(routed: Tally, allStrong: Tally): ReplaySummary {
  const r = (x: number) => Number(x.toFixed(4));
  return {
    accuracy: r(routed.right / routed.requests),
    premiumAccuracy: r(allStrong.right / allStrong.requests),
    qualityRatio: r(allStrong.right ? routed.right / allStrong.right : 1),
    costCut: r(allStrong.costUsd ? 1 - routed.costUsd / allStrong.costUsd : 0),
    premiumShare: r(routed.premium / routed.requests),
    prompts: routed.requests,
  };
}
