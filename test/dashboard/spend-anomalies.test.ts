import { describe, expect, it } from 'vitest';
import { findAnomalies } from '../../shared/spend-anomalies.js';

describe('findAnomalies', () => {
  it('flags a bucket far above the rolling mean of the ones before it', () => {
    // Baseline 100,110,90,100,110,90: mean 100, population sd √(200/3) ≈ 8.16, floored to 10 (a tenth of the mean).
    const values = [100, 110, 90, 100, 110, 90, 500, 100];
    expect(findAnomalies(values)).toEqual([{ index: 6, valueMicros: 500, baselineMicros: 100, score: 40 }]);
  });

  it('does not flag ordinary wobble, or buckets before a full window', () => {
    expect(findAnomalies([0, 0, 900, 100, 120, 80, 100, 125, 90])).toEqual([]);
  });

  it('after quiet hours, counts against the floor of one micro-dollar', () => {
    // Bucket 6: mean 0, spread floored to 1, score exactly 3: not above the threshold.
    // Bucket 7: mean 0.5, sd √((5·0.25 + 6.25)/6) = √1.25, score 3.5/√1.25 ≈ 3.13.
    expect(findAnomalies([0, 0, 0, 0, 0, 0, 3, 4], { window: 6, threshold: 3 })).toEqual([{ index: 7, valueMicros: 4, baselineMicros: 1, score: 3.13 }]);
  });

  it('with a least rise, skips the first spend after quiet hours that is small in dollars', () => {
    // Both spikes score far above a zero baseline; only the $0.60 one rises by the $0.50 asked.
    const quiet = [0, 0, 0, 0, 0, 0];
    expect(findAnomalies([...quiet, 200_000], { minRiseMicros: 500_000 })).toEqual([]);
    expect(findAnomalies([...quiet, 600_000], { minRiseMicros: 500_000 }).map((a) => a.index)).toEqual([6]);
  });
});
