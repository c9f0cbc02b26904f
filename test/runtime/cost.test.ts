import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOf } from '../../server/runtime/chat-outcome.js';
import { estimateCost, formatUsd, roundUsd } from '../../shared/cost.js';
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
    expect(costOf({ usage, servedModel: 'gpt-4o', requestedModel: 'gpt-4o', cacheHit: true, pricing: DEFAULT_PRICING })).toEqual({ costUsd: 0, costMicros: 0, savedUsd: roundUsd((1000 * 2.5 + 500 * 10) / 1e6) });
  });

  it('formats without float noise', () => {
    expect(formatUsd(0.1 + 0.2)).toBe('0.3');
    expect(formatUsd(0)).toBe('0.0');
    expect(formatUsd(0.000123456789)).toBe('0.0001234568');
  });
});
