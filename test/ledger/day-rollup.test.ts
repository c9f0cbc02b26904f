import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DayRollup } from '../../server/ledger/day-rollup.js';
import { ledgerRecord } from './record-fixture.js';

const at = (time: string) => Date.parse(time);

describe('DayRollup', () => {
  it('folds a day’s records per policy into one row per version, rule, models and cache outcome, with the distinct callers', () => {
    const rollup = new DayRollup();
    rollup.add(ledgerRecord({ id: 'a', costMicros: 1000, tags: { team: 'research' } }));
    rollup.add(ledgerRecord({ id: 'b', costMicros: 2000, tags: { team: 'research' } }));
    rollup.add(ledgerRecord({ id: 'c', costMicros: 500, tags: { team: 'ads' } }));
    rollup.add(ledgerRecord({ id: 'd', cache: 'hit', costMicros: 0 }));
    rollup.add(ledgerRecord({ id: 'e', policy: 'other' }));
    rollup.add(ledgerRecord({ id: 'f', rule: null }));
    const rows = rollup.rows('cost-router', at('2025-03-10T23:00:00.000Z'));
    expect(rows.map((r) => [r.cache, r.requests, r.costMicros, r.subjects.size])).toEqual([
      ['miss', 3, 3500, 2],
      ['hit', 1, 0, 1],
    ]);
    expect(rollup.rows('other', at('2025-03-10T23:00:00.000Z'))).toHaveLength(1);
  });

  it('starts empty on a new day and ignores a straggler from the day before', () => {
    const rollup = new DayRollup();
    rollup.add(ledgerRecord({ time: '2025-03-10T23:59:59.000Z' }));
    expect(rollup.rows('cost-router', at('2025-03-11T00:00:01.000Z'))).toEqual([]);
    rollup.add(ledgerRecord({ time: '2025-03-11T00:00:01.000Z' }));
    rollup.add(ledgerRecord({ time: '2025-03-10T23:59:58.000Z' }));
    expect(rollup.rows('cost-router', at('2025-03-11T00:00:02.000Z')).map((r) => r.requests)).toEqual([1]);
  });

  it('is rebuilt at start from today’s ledger file only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-rollup-'));
    try {
      const now = Date.now();
      const today = new Date(now).toISOString().slice(0, 10);
      const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
      const line = (time: string) => `${JSON.stringify(ledgerRecord({ time }))}\n`;
      await writeFile(path.join(dir, `usage-${today}.jsonl`), line(`${today}T00:00:00.000Z`) + line(`${today}T00:00:01.000Z`));
      await writeFile(path.join(dir, `usage-${yesterday}.jsonl`), line(`${yesterday}T12:00:00.000Z`));
      const rollup = await DayRollup.rebuild(dir, now);
      expect(rollup.rows('cost-router', now).map((r) => r.requests)).toEqual([2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
