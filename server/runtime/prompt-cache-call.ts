import type { PromptCacheAction } from '../../shared/decision.js';
import type { ModelPrice } from '../../shared/pricing.js';
import type { PromptCacheCall } from '../providers/provider.js';

/** Anthropic's and OpenAI's floor for most models; the pricing table names the exceptions (Haiku 3.5: 2048). */
export const DEFAULT_CACHE_MIN_TOKENS = 1024;

/** A Prompt cache action as one target's call needs it: each model of a fallback chain has its own minimum. */
export function promptCacheCall(action: PromptCacheAction, price: ModelPrice | undefined): PromptCacheCall {
  const { type: _type, node: _node, ...params } = action;
  return { ...params, minTokens: price?.cacheMinTokens ?? DEFAULT_CACHE_MIN_TOKENS };
}
