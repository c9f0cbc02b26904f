import { describe, expect, it } from 'vitest';
import { gainSignal, pearson, type GainPoint } from '../../bench/router/gain-signal.js';

describe('gainSignal', () => {
  it('computes a plain Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('tells a feature that only tells groups apart from one that ranks prompts inside each group', () => {
    // Group b gains most and has the longest prompts, but inside each group the feature is unrelated to gain.
    const group = (name: string, base: number, gains: number[]): GainPoint[] =>
      gains.map((gain, i) => ({ group: name, feature: base + [0, 1, 1, 0][i]!, gain }));
    const groupOnly = [...group('a', 0, [0, 1, 0, 1]), ...group('b', 10, [1, 1, 1, 1]), ...group('c', 5, [0, 0, 1, 1])];
    const signal = gainSignal(groupOnly);
    expect(signal.between).toBeGreaterThan(0.8);
    expect(signal.within).toBeCloseTo(0, 9);

    const inside: GainPoint[] = ['a', 'b', 'c'].flatMap((name) => [0, 1, 0, 1].map((gain, i) => ({ group: name, feature: gain + i / 100, gain })));
    expect(gainSignal(inside).within).toBeGreaterThan(0.99);
  });

  it('leaves the largest group out of the second between-group figure', () => {
    const big = Array.from({ length: 10 }, () => ({ group: 'big', feature: 10, gain: 1 }));
    const small = [
      { group: 's1', feature: 0, gain: 0 },
      { group: 's2', feature: 1, gain: 0 },
      { group: 's3', feature: 2, gain: 0 },
    ];
    const signal = gainSignal([...big, ...small]);
    expect(signal.between).toBeGreaterThan(0.9);
    expect(signal.betweenWithoutLargest).toBeNaN();
  });
});
