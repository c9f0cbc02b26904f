import type { ModelPrice } from './pricing.js';

export interface TokenUsage {
  /** Every prompt token, cached and cache-written ones included (OpenAI's prompt_tokens). */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic bills them above the input price). */
  cacheWriteTokens?: number;
}

const PER_MILLION = 1_000_000;

/** Cost in USD of one call; cached input tokens are billed at the cached rate and cache writes at the write rate, where there are some. */
export function estimateCost(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const fresh = usage.inputTokens - cached - written;
  const cachedRate = price.cachedInput ?? price.input;
  const writeRate = price.cacheWrite ?? price.input;
  return (fresh * price.input + cached * cachedRate + written * writeRate + usage.outputTokens * price.output) / PER_MILLION;
}

/**
 * What the provider's prompt cache saved on one call: the same tokens at the plain input price
 * minus what they cost. Negative when cache writes (billed above input) outweigh the reads.
 */
export function promptCacheSaving(usage: TokenUsage, price: ModelPrice): number {
  return estimateCost({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }, price) - estimateCost(usage, price);
}

/** Rounds to a micro-dollar fraction for headers and ledgers, avoiding float noise like 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

export function formatUsd(usd: number): string {
  return roundUsd(usd).toFixed(10).replace(/0+$/, '').replace(/\.$/, '.0');
}
