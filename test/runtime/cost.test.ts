import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOf } from '../../server/runtime/chat-outcome.js';
import { estimateCost, formatUsd, promptCacheSaving, roundUsd } from '../../shared/cost.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';

const price = DEFAULT_PRICING.models['gpt-4o']!;

describe('cost maths', () => {
  it('prices input, cached input and output per million tokens', () => {
    expect(estimateCost({ inputTokens: 1_000_000, outputTokens: 0 }, price)).toBe(2.5);
    expect(estimateCost({ inputTokens: 0, outputTokens: 1_000_000 }, price)).toBe(10);
    expect(estimateCost({ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 1_000_000 }, price)).toBe(1.25);
  });

  it('is linear, non-negative, and never bills more cached tokens than input tokens', () => {
    fc.assert(
      fc.property(fc.nat(1e7), fc.nat(1e7), fc.nat(2e7), (input, output, cached) => {
        const cost = estimateCost({ inputTokens: input, outputTokens: output, cachedInputTokens: cached }, price);
        expect(cost).toBeGreaterThanOrEqual(0);
        expect(cost).toBeLessThanOrEqual(estimateCost({ inputTokens: input, outputTokens: output }, price) + 1e-12);
        const double = estimateCost({ inputTokens: 2 * input, outputTokens: 2 * output, cachedInputTokens: 2 * cached }, price);
        expect(double).toBeCloseTo(2 * cost, 9);
      }),
    );
  });

  it('counts what routing saved against the model asked for, and cache hits as free', () => {
    const usage = { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0 };
    const routed = costOf({ usage, servedModel: 'gpt-4o-mini', requestedModel: 'gpt-4o', cacheHit: false, pricing: DEFAULT_PRICING });
    expect(routed.costUsd).toBe(roundUsd((1000 * 0.15 + 500 * 0.6) / 1e6));
    expect(routed.savedUsd).toBe(roundUsd((1000 * 2.5 + 500 * 10) / 1e6 - routed.costUsd));
    expect(routed.costMicros).toBe(450);
    expect(costOf({ usage, servedModel: 'gpt-4o', requestedModel: 'gpt-4o', cacheHit: true, pricing: DEFAULT_PRICING })).toEqual({
      costUsd: 0,
      costMicros: 0,
      savedUsd: roundUsd((1000 * 2.5 + 500 * 10) / 1e6),
      promptCacheSavedUsd: 0,
    });
  });

  it('bills Anthropic cache writes at 1.25x input and reads at 0.1x, and books the difference as the prompt cache saving', () => {
    const sonnet = DEFAULT_PRICING.models['claude-sonnet-4-20250514']!;
    const written = { inputTokens: 10_000, outputTokens: 0, cacheWriteTokens: 9_000 };
    expect(estimateCost(written, sonnet)).toBeCloseTo((1000 * 3 + 9000 * 3.75) / 1e6, 12);
    expect(promptCacheSaving(written, sonnet)).toBeCloseTo(-(9000 * 0.75) / 1e6, 12);
    const read = { inputTokens: 10_000, outputTokens: 0, cachedInputTokens: 9_000 };
    expect(promptCacheSaving(read, sonnet)).toBeCloseTo((9000 * 2.7) / 1e6, 12);
    const cost = costOf({ usage: read, servedModel: 'claude-sonnet-4-20250514', requestedModel: 'claude-sonnet-4-20250514', cacheHit: false, pricing: DEFAULT_PRICING });
    expect(cost).toEqual({ costUsd: roundUsd((1000 * 3 + 9000 * 0.3) / 1e6), costMicros: 5700, savedUsd: 0, promptCacheSavedUsd: roundUsd((9000 * 2.7) / 1e6) });
  });

  it('prices OpenAI cached input and Gemini cached content at their cached rates', () => {
    const usage = { inputTokens: 4096, outputTokens: 100, cachedInputTokens: 2048 };
    expect(promptCacheSaving(usage, price)).toBeCloseTo((2048 * (2.5 - 1.25)) / 1e6, 12);
    const flash = DEFAULT_PRICING.models['gemini-2.5-flash']!;
    expect(promptCacheSaving(usage, flash)).toBeCloseTo((2048 * (0.3 - 0.075)) / 1e6, 12);
  });

  it('never bills cache reads and writes together beyond the prompt', () => {
    const sonnet = DEFAULT_PRICING.models['claude-sonnet-4-20250514']!;
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(2e6), fc.nat(2e6), (input, cached, written) => {
        const cost = estimateCost({ inputTokens: input, outputTokens: 0, cachedInputTokens: cached, cacheWriteTokens: written }, sonnet);
        expect(cost).toBeGreaterThanOrEqual(0);
        expect(cost).toBeLessThanOrEqual((input * 3.75) / 1e6 + 1e-12);
      }),
    );
  });

  it('formats without float noise', () => {
    expect(formatUsd(0.1 + 0.2)).toBe('0.3');
    expect(formatUsd(0)).toBe('0.0');
    expect(formatUsd(0.000123456789)).toBe('0.0001234568');
  });
});
