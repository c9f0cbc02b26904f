import { describe, expect, it } from 'vitest';
import { seriesCsv } from '../../editor/src/dashboard/series-csv.js';

describe('seriesCsv', () => {
  it('writes one row per bucket and group in micro-dollars, quoting values that need it', () => {
    const csv = seriesCsv({
      groupBy: 'team',
      bucket: 'hour',
      from: '2026-12-03T00:00:00.000Z',
      to: '2026-12-03T02:00:00.000Z',
      buckets: ['2026-12-03T00:00:00.000Z', '2026-12-03T01:00:00.000Z'],
      series: [
        {
          key: 'search, "core"',
          totalMicros: 5,
          points: [
            { t: '2026-12-03T00:00:00.000Z', costMicros: 2, requests: 1 },
            { t: '2026-12-03T01:00:00.000Z', costMicros: 3, requests: 2 },
          ],
        },
      ],
      source: 'rollups',
    });
    expect(csv).toBe(
      'bucket_start,team,cost_micro_usd,requests\n2026-12-03T00:00:00.000Z,"search, ""core""",2,1\n2026-12-03T01:00:00.000Z,"search, ""core""",3,2\n',
    );
  });
});
