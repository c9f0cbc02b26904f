import { describe, expect, it } from 'vitest';
import { summarize } from '../../server/ledger/summarize.js';
import { usageFromRollups } from '../../server/ledger/usage-from-rollups.js';
import { UsageRollups } from '../../server/ledger/usage-rollups.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const records = [
  ledgerRecord({ id: 'a', time: '2026-11-27T23:30:00.000Z', tags: { team: 'ads' }, costUsd: 0.2 }),
  ledgerRecord({ id: 'b', time: '2026-11-28T00:10:00.000Z', tags: { team: 'search' }, costUsd: 0.05 }),
  ledgerRecord({ id: 'c', time: '2026-11-28T13:00:00.000Z', tags: { team: 'ads' }, servedModel: 'gpt-4o', costUsd: 0.3 }),
  ledgerRecord({ id: 'd', time: '2026-11-29T23:59:59.000Z', tags: {}, costUsd: 0.01, status: 502 }),
  ledgerRecord({ id: 'e', time: '2026-11-30T01:00:00.000Z', tags: { team: 'search' }, costUsd: 0.07 }),
];
const rollups = new UsageRollups();
for (const r of records) rollups.add(r);

describe('/api/usage from the rollups', () => {
  it('gives the same groups as the ledger scan for whole-day ranges, by tag, model and user', () => {
    for (const groupBy of ['team', 'model', 'user', 'cache']) {
      const fast = usageFromRollups(rollups, { groupBy, from: '2026-11-28', to: '2026-11-29', now: NOW });
      const inRange = records.filter((r) => r.time >= '2026-11-28' && r.time < '2026-11-30');
      expect(fast).toEqual(summarize(inRange, groupBy));
    }
  });

  it('with no end, counts up to now', () => {
    const fast = usageFromRollups(rollups, { groupBy: 'team', from: '2026-11-28', now: NOW });
    expect(fast).toEqual(summarize(records.slice(1), 'team'));
  });

  it('declines (the ledger answers) without a start, before the rollup window, or for day and branch groupings', () => {
    expect(usageFromRollups(rollups, { groupBy: 'team', now: NOW })).toBeNull();
    expect(usageFromRollups(rollups, { groupBy: 'team', from: '2026-01-01', now: NOW })).toBeNull();
    expect(usageFromRollups(rollups, { groupBy: 'day', from: '2026-11-28', now: NOW })).toBeNull();
    expect(usageFromRollups(rollups, { groupBy: 'branch:n1', from: '2026-11-28', now: NOW })).toBeNull();
  });
});
