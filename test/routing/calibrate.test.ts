import { describe, expect, it } from 'vitest';
import { calibrateThreshold, leastPremiumShare, operatingPoint, type Scored } from '../../bench/router/calibrate.js';
import { seededRandom } from '../../bench/router/seeded.js';

/** Synthetic held-out scores: the higher the score, the likelier only the strong model is right. */
function items(seed: number): Scored[] {
  const random = seededRandom(seed);
  return Array.from({ length: 2000 }, (_, i) => {
    const score = random();
    const strongRight = random() < 0.6 + 0.3 * score;
    const cheapRight = random() < 0.9 - 0.6 * score;
    return { score, strongRight, cheapRight, group: `g${i % 20}`, family: i % 2 ? 'a' : 'b' };
  });
}

describe('calibrateThreshold', () => {
  const data = items(1);

  it('finds a threshold that meets the target in each family', () => {
    const threshold = calibrateThreshold({ items: data, target: 0.95, resamples: 50, confidence: 0.8, seed: 3 });
    for (const family of ['a', 'b']) expect(operatingPoint(data.filter((d) => d.family === family), threshold).qualityRatio).toBeGreaterThanOrEqual(0.95);
    expect(operatingPoint(data, threshold).premiumShare).toBeLessThan(1);
  });

  it('sends more to the strong model for a higher target or a higher confidence', () => {
    const at = (target: number, confidence: number) => calibrateThreshold({ items: data, target, resamples: 50, confidence, seed: 3 });
    expect(at(0.98, 0.8)).toBeLessThanOrEqual(at(0.9, 0.8));
    expect(at(0.95, 0.95)).toBeLessThanOrEqual(at(0.95, 0.5));
  });

  it('is deterministic for a seed', () => {
    const once = calibrateThreshold({ items: data, target: 0.93, resamples: 40, confidence: 0.8, seed: 9 });
    expect(calibrateThreshold({ items: data, target: 0.93, resamples: 40, confidence: 0.8, seed: 9 })).toBe(once);
  });

  it('answers Infinity when the cheap model alone already meets the target', () => {
    expect(calibrateThreshold({ items: data, target: 0.5, resamples: 10, confidence: 0.8, seed: 1 })).toBe(Infinity);
  });
});

describe('operatingPoint', () => {
  it('counts the premium share and the accuracy kept', () => {
    const two: Scored[] = [
      { score: 0.9, strongRight: true, cheapRight: false, group: 'x', family: 'f' },
      { score: 0.1, strongRight: true, cheapRight: true, group: 'x', family: 'f' },
    ];
    expect(operatingPoint(two, 0.5)).toEqual({ premiumShare: 0.5, qualityRatio: 1 });
    expect(operatingPoint(two, 1)).toEqual({ premiumShare: 0, qualityRatio: 0.5 });
  });
});

describe('leastPremiumShare', () => {
  const data = items(2);

  it('is the smallest premium share any threshold on these scores reaches the target with', () => {
    const share = leastPremiumShare(data, 0.95);
    const thresholds = [...new Set(data.map((d) => d.score))];
    const meeting = thresholds.map((t) => operatingPoint(data, t)).filter((p) => p.qualityRatio >= 0.95 - 1e-9);
    expect(Math.min(...meeting.map((p) => p.premiumShare))).toBeCloseTo(share, 9);
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(1);
  });

  it('beats random routing when the scores rank the gain, and never needs more than a calibrated threshold', () => {
    const share = leastPremiumShare(data, 0.95);
    const shuffledScores = data.map((d, i) => ({ ...d, score: ((i * 7919) % data.length) / data.length }));
    expect(leastPremiumShare(shuffledScores, 0.95)).toBeGreaterThan(share);
    const calibrated = calibrateThreshold({ items: data, target: 0.95, resamples: 50, confidence: 0.8, seed: 3 });
    expect(operatingPoint(data, calibrated).premiumShare).toBeGreaterThanOrEqual(share);
  });

  it('is 0 when the cheap model alone meets the target', () => {
    expect(leastPremiumShare(data, 0.5)).toBe(0);
  });
});
