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
  /** Answered by the strong model after the cheap answer failed its check (counted in premium too). */
  escalated: number;
}

/** Where one prompt went: the model that answered, and the one asked first when a cheap answer failed its check. */
export interface Routed {
  model: string;
  earlier?: string | undefined;
}

/**
 * Scores one routing of the samples: each gets the answering model's recorded right/wrong, and
 * the price of every call made (an escalated prompt pays for the cheap answer too).
 */
export function tally(samples: readonly RoutingSample[], routeOf: (s: RoutingSample, i: number) => string | Routed, pricing: PricingTable): Tally {
  const t: Tally = { requests: 0, right: 0, premium: 0, costUsd: 0, escalated: 0 };
  samples.forEach((s, i) => {
    const routed = routeOf(s, i);
    const { model, earlier } = typeof routed === 'string' ? { model: routed, earlier: undefined } : routed;
    const strong = PREMIUM_MODELS.has(model);
    t.requests++;
    t.premium += strong ? 1 : 0;
    t.escalated += earlier ? 1 : 0;
    t.right += (strong ? s.strongRight : s.cheapRight) ? 1 : 0;
    t.costUsd += callCost(s, model, pricing) + (earlier ? callCost(s, earlier, pricing) : 0);
  });
  return t;
}

function callCost(s: RoutingSample, model: string, pricing: PricingTable): number {
  const price = pricing.models[model];
  if (!price) throw new Error(`${model} has no price`);
  const answer = PREMIUM_MODELS.has(model) ? s.strongAnswer : s.cheapAnswer;
  const outputTokens = answer === undefined ? UNRECORDED_ANSWER_TOKENS : countTextTokens(answer);
  return estimateCost({ inputTokens: countPromptTokens([{ role: 'user', content: s.prompt }]), outputTokens }, price);
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
