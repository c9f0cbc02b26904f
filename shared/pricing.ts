import { z } from 'zod';
import { ProviderNameSchema } from './providers.js';

export const ModelPriceSchema = z.object({
  provider: ProviderNameSchema,
  /** An embedding model answers /v1/embeddings only: no route sends a chat to it, and the editor offers it to none. */
  kind: z.enum(['chat', 'embedding']).optional(),
  /** USD per million input tokens. */
  input: z.number().min(0),
  /** USD per million output tokens. */
  output: z.number().min(0),
  /** USD per million cached input tokens, where the provider discounts them. */
  cachedInput: z.number().min(0).optional(),
  /** USD per million input tokens written to a prompt cache (Anthropic's 5-minute cache writes); the input price where unset. */
  cacheWrite: z.number().min(0).optional(),
  /** The shortest prefix, in tokens, the provider caches; breakpoints on shorter prefixes are ignored by it. */
  cacheMinTokens: z.number().int().min(0).optional(),
  /** The share taken off every token price in the provider's batch API (0.5 = half price); unset where it has none. */
  batchDiscount: z.number().min(0).max(1).optional(),
  /** The most output tokens one call can produce: a larger max_tokens cannot cost more, so budgets hold no more than this. */
  maxOutputTokens: z.number().int().min(1).optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const PricingTableSchema = z.object({
  /** The date the figures were read from the providers' price pages. */
  asOf: z.string(),
  currency: z.literal('USD'),
  models: z.record(z.string(), ModelPriceSchema),
});
export type PricingTable = z.infer<typeof PricingTableSchema>;

/**
 * List prices, standard tier, per million tokens. Override with TOLLGATE_PRICING (a JSON file).
 * Cached input: OpenAI's automatic prompt cache, Anthropic's cache reads (writes cost 1.25x input),
 * Gemini's context caching (storage per hour is not modelled). Batch: OpenAI's Batch API and
 * Anthropic's Message Batches bill every token at half price.
 */
export const DEFAULT_PRICING: PricingTable = {
  asOf: '2025-06-01',
  currency: 'USD',
  models: {
    'gpt-4o': { provider: 'openai', input: 2.5, output: 10, cachedInput: 1.25, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 16_384 },
    'gpt-4o-mini': { provider: 'openai', input: 0.15, output: 0.6, cachedInput: 0.075, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 16_384 },
    'gpt-4.1': { provider: 'openai', input: 2, output: 8, cachedInput: 0.5, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 32_768 },
    'gpt-4.1-mini': { provider: 'openai', input: 0.4, output: 1.6, cachedInput: 0.1, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 32_768 },
    'gpt-4.1-nano': { provider: 'openai', input: 0.1, output: 0.4, cachedInput: 0.025, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 32_768 },
    'o3-mini': { provider: 'openai', input: 1.1, output: 4.4, cachedInput: 0.55, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 100_000 },
    'claude-sonnet-4-20250514': { provider: 'anthropic', input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 64_000 },
    'claude-3-5-haiku-20241022': { provider: 'anthropic', input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1, cacheMinTokens: 2048, batchDiscount: 0.5, maxOutputTokens: 8_192 },
    'claude-opus-4-20250514': { provider: 'anthropic', input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75, cacheMinTokens: 1024, batchDiscount: 0.5, maxOutputTokens: 32_000 },
    'gemini-2.5-pro': { provider: 'gemini', input: 1.25, output: 10, cachedInput: 0.31, cacheMinTokens: 2048, maxOutputTokens: 65_536 },
    'gemini-2.5-flash': { provider: 'gemini', input: 0.3, output: 2.5, cachedInput: 0.075, cacheMinTokens: 1024, maxOutputTokens: 65_536 },
    'gemini-2.0-flash': { provider: 'gemini', input: 0.1, output: 0.4, cachedInput: 0.025, cacheMinTokens: 4096, maxOutputTokens: 8_192 },
    'text-embedding-3-small': { provider: 'openai', kind: 'embedding', input: 0.02, output: 0, batchDiscount: 0.5 },
    'text-embedding-3-large': { provider: 'openai', kind: 'embedding', input: 0.13, output: 0, batchDiscount: 0.5 },
    'text-embedding-ada-002': { provider: 'openai', kind: 'embedding', input: 0.1, output: 0, batchDiscount: 0.5 },
    'gemini-embedding-001': { provider: 'gemini', kind: 'embedding', input: 0.15, output: 0 },
  },
};

/** Whether a model answers chat completions (every model but an embedding one). */
export function isChatModel(price: ModelPrice | undefined): boolean {
  return price?.kind !== 'embedding';
}

/** Output tokens a call can cost: what was asked for, but never more than the model writes in one call (`maxOutputTokens`). */
export function outputTokensAtMost(tokens: number, price: ModelPrice | undefined): number {
  return Math.min(tokens, price?.maxOutputTokens ?? tokens);
}

/** The price of a model in its provider's batch API: every token rate less the batch discount; the list price where there is none. */
export function batchPrice(price: ModelPrice): ModelPrice {
  const pay = 1 - (price.batchDiscount ?? 0);
  const scaled = (rate: number | undefined) => (rate === undefined ? undefined : rate * pay);
  return {
    ...price,
    input: price.input * pay,
    output: price.output * pay,
    ...(price.cachedInput !== undefined ? { cachedInput: scaled(price.cachedInput)! } : {}),
    ...(price.cacheWrite !== undefined ? { cacheWrite: scaled(price.cacheWrite)! } : {}),
  };
}

/** Merges an override table over a base: override prices win, models not named keep the base price. */
export function mergePricing(base: PricingTable, override: Partial<PricingTable>): PricingTable {
  return {
    asOf: override.asOf ?? base.asOf,
    currency: 'USD',
    models: { ...base.models, ...(override.models ?? {}) },
  };
}
