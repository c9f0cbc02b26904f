import { describe, expect, it } from 'vitest';
import { anomalyScope, anomalyText, recentAnomalies } from '../../shared/anomaly-scan.js';

const hours = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 2, 10, i)).toISOString());

describe('recentAnomalies', () => {
  it('reports a spike in the newest two hours of a scope, not an older one or a steady scope', () => {
    const buckets = hours(9);
    const found = recentAnomalies([
      { groupBy: 'team', key: 'search', buckets, costMicros: [100, 100, 100, 100, 100, 100, 100, 100, 900] },
      { groupBy: 'team', key: 'ads', buckets, costMicros: [100, 100, 100, 100, 100, 100, 900, 100, 100] },
      { groupBy: 'model', key: 'gpt-4o', buckets, costMicros: [100, 110, 90, 100, 110, 90, 100, 105, 95] },
    ]);
    expect(found).toEqual([{ groupBy: 'team', key: 'search', bucket: buckets[8], valueMicros: 900, baselineMicros: 100, score: 80 }]);
  });

  it('with a least rise, leaves out the first spend after quiet hours but keeps a real jump', () => {
    const buckets = hours(8);
    const quietThenWork = { groupBy: 'team', key: 'ops', buckets, costMicros: [0, 0, 0, 0, 0, 0, 0, 100_000] };
    const jump = { groupBy: 'team', key: 'search', buckets, costMicros: [100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 900_000] };
    expect(recentAnomalies([quietThenWork, jump]).map((a) => a.key)).toEqual(['ops', 'search']);
    expect(recentAnomalies([quietThenWork, jump], { minRiseMicros: 500_000 }).map((a) => a.key)).toEqual(['search']);
  });

  it('names the scope and says the spend, the hour and the baseline', () => {
    const a = { groupBy: 'team', key: 'search', bucket: '2026-03-10T14:00:00.000Z', valueMicros: 2_500_000, baselineMicros: 100_000, score: 240 };
    expect(anomalyScope(a)).toBe('team=search');
    expect(anomalyScope({ groupBy: 'team', key: '' })).toBe('team=(none)');
    expect(anomalyText(a)).toBe('team=search spent $2.50 in the hour from 2026-03-10 14:00 UTC, 240σ above its baseline of $0.10 an hour');
  });
});
