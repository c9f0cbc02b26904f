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
  return exactMicros(usage, price) / PER_MILLION;
}

/** Prices are USD per million tokens, so tokens times price is already micro-dollars (not yet rounded). */
function exactMicros(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const fresh = usage.inputTokens - cached - written;
  const cachedRate = price.cachedInput ?? price.input;
  const writeRate = price.cacheWrite ?? price.input;
  return fresh * price.input + cached * cachedRate + written * writeRate + usage.outputTokens * price.output;
}

/**
 * What the provider's prompt cache saved on one call: the same tokens at the plain input price
 * minus what they cost. Negative when cache writes (billed above input) outweigh the reads.
 */
export function promptCacheSaving(usage: TokenUsage, price: ModelPrice): number {
  return estimateCost({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens }, price) - estimateCost(usage, price);
}

/**
 * Float noise dropped: list prices have at most three decimals, so tokens x price is a whole
 * number of thousandths, and 12.4999999998 is the 12.5 it stands for.
 */
function thousandths(micros: number): number {
  return Math.round(micros * 1e3) / 1e3;
}

/** Cost of one call in integer micro-dollars, rounded half up: what budgets and ledger totals add up. */
export function costMicros(usage: TokenUsage, price: ModelPrice): number {
  return Math.round(thousandths(exactMicros(usage, price)));
}

/** An upper estimate in integer micro-dollars, for reserving before a call. */
export function costMicrosCeil(usage: TokenUsage, price: ModelPrice): number {
  return Math.ceil(thousandths(exactMicros(usage, price)));
}

export function usdToMicros(usd: number): number {
  return Math.round(usd * PER_MILLION);
}

export function microsToUsd(micros: number): number {
  return micros / PER_MILLION;
}

/** Rounds to a micro-dollar fraction for headers and ledgers, avoiding float noise like 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

export function formatUsd(usd: number): string {
  return roundUsd(usd).toFixed(10).replace(/0+$/, '').replace(/\.$/, '.0');
}
