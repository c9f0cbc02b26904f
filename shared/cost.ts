import type { ModelPrice } from './pricing.js';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

const PER_MILLION = 1_000_000;

/** Cost in USD of one call; cached input tokens are billed at the cached rate where there is one. */
export function estimateCost(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return (fresh * price.input + cached * cachedRate + usage.outputTokens * price.output) / PER_MILLION;
}

/** Rounds to a micro-dollar fraction for headers and ledgers, avoiding float noise like 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

export function formatUsd(usd: number): string {
  return roundUsd(usd).toFixed(10).replace(/0+$/, '').replace(/\.$/, '.0');
}
