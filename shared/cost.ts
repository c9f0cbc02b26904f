import type { ModelPrice } from './pricing.js';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

const PER_MILLION = 1_000_000;

/** Cost in USD of one call; cached input tokens are billed at the cached rate where there is one. */
export function estimateCost(usage: TokenUsage, price: ModelPrice): number {
  return exactMicros(usage, price) / PER_MILLION;
}

/** Prices are USD per million tokens, so tokens times price is already micro-dollars (not yet rounded). */
function exactMicros(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const cachedRate = price.cachedInput ?? price.input;
  return fresh * price.input + cached * cachedRate + usage.outputTokens * price.output;
}

/** Cost of one call in integer micro-dollars, rounded to the nearest: what budgets and ledger totals add up. */
export function costMicros(usage: TokenUsage, price: ModelPrice): number {
  return Math.round(exactMicros(usage, price));
}

/**
 * An upper estimate in integer micro-dollars, for reserving before a call: rounded up, after
 * dropping float noise (12500.000000000002 is 12500, not 12501).
 */
export function costMicrosCeil(usage: TokenUsage, price: ModelPrice): number {
  return Math.ceil(Math.round(exactMicros(usage, price) * 1e3) / 1e3);
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
