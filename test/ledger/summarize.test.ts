import { describe, expect, it } from 'vitest';
import { parseLine } from '../../server/ledger/read-ledger.js';
import { summarize } from '../../server/ledger/summarize.js';
import { usageFromRollups } from '../../server/ledger/usage-from-rollups.js';
import { usageOverview } from '../../server/ledger/usage-overview.js';
import { UsageRollups } from '../../server/ledger/usage-rollups.js';
import { ledgerRecord } from './record-fixture.js';

const records = [
  ledgerRecord({ id: '1', tags: { team: 'search' }, costUsd: 0.1, savedUsd: 0.05, time: '2025-03-10T10:00:00Z' }),
  ledgerRecord({ id: '2', tags: { team: 'search' }, costUsd: 0.2, cache: 'hit', time: '2025-03-11T10:00:00Z' }),
  ledgerRecord({ id: '3', tags: { team: 'ads' }, costUsd: 0.7, servedModel: 'gpt-4o', time: '2025-03-10T11:00:00Z' }),
  ledgerRecord({ id: '4', tags: {}, costUsd: 0, servedModel: null, status: 429, time: '2025-03-09T11:00:00Z' }),
];

describe('summarize', () => {
  it('groups spend, savings, tokens and requests by a tag, highest spend first', () => {
    const rows = summarize(records, 'team');
    expect(rows.map((r) => [r.key, r.costUsd, r.requests])).toEqual([
      ['ads', 0.7, 1],
      ['search', 0.3, 2],
      ['', 0, 1],
    ]);
    expect(rows[1]).toMatchObject({ savedUsd: 0.05, inputTokens: 200, outputTokens: 100, cacheHits: 1, errors: 0 });
    expect(rows[2]).toMatchObject({ errors: 1 });
  });

  it('groups by the model that answered, falling back to the one asked for', () => {
    expect(summarize(records, 'model').map((r) => [r.key, r.requests])).toEqual([
      ['gpt-4o', 2],
      ['gpt-4o-mini', 2],
    ]);
  });

  it('lists days in date order', () => {
    expect(summarize(records, 'day').map((r) => r.key)).toEqual(['2025-03-09', '2025-03-10', '2025-03-11']);
  });

  it('counts cheap answers the router checked, those asked again of the strong model, and what those cheap calls cost; the rollups count the same', () => {
    const check = { node: 'smart', check: 'maths' as const, version: 'ac1', score: 0.5, threshold: 0.3, reasons: [] };
    const checked = [
      ledgerRecord({ id: 'c1', tags: { team: 'maths' }, answerCheck: { ...check, escalated: true, cheap: { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 20, costMicros: 1_234 } } }),
      ledgerRecord({ id: 'c2', tags: { team: 'maths' }, answerCheck: { ...check, escalated: true, kept: 'the strong path failed: 503', cheap: undefined } }),
      ledgerRecord({ id: 'c3', tags: { team: 'maths' }, answerCheck: { ...check, score: 0.1, escalated: false } }),
      ledgerRecord({ id: 'c4', tags: { team: 'maths' } }),
    ];
    const [row] = summarize(checked, 'team');
    expect(row).toMatchObject({ answersChecked: 3, answersEscalated: 1, escalatedCheapCostUsd: 0.001234 });
    const rollups = new UsageRollups();
    for (const r of checked) rollups.add(r);
    expect(usageFromRollups(rollups, { groupBy: 'team', from: '2025-03-10', now: Date.parse(checked[0]!.time) })![0]).toMatchObject({ answersChecked: 3, answersEscalated: 1, escalatedCheapCostUsd: 0.001234 });
    // The dashboard's overview reads the same counters.
    const overview = usageOverview(rollups, { from: '2025-03-10', to: '2025-03-10' }, () => false);
    expect(overview.answerCheck).toEqual({ checked: 3, escalated: 1, escalatedCheapMicros: 1_234 });
  });

  it('treats tag:<key> like the bare tag key', () => {
    expect(summarize(records, 'tag:team')).toEqual(summarize(records, 'team'));
  });

  it('sums prompt-cache savings and cache writes apart, reading records booked before them as 0', () => {
    const { cacheWriteTokens: _w, promptCacheSavedUsd: _s, ...old } = ledgerRecord({ id: 'old' });
    const parsed = parseLine(JSON.stringify(old));
    expect(parsed).toMatchObject({ id: 'old', cacheWriteTokens: 0, promptCacheSavedUsd: 0 });
    const rows = summarize(
      [parsed as ReturnType<typeof ledgerRecord>, ledgerRecord({ id: 'w', cacheWriteTokens: 3000, promptCacheSavedUsd: -0.00225 }), ledgerRecord({ id: 'r', cachedInputTokens: 3000, promptCacheSavedUsd: 0.0081 })],
      'policy',
    );
    expect(rows[0]).toMatchObject({ requests: 3, cacheWriteTokens: 3000, cachedInputTokens: 3000, promptCacheSavedUsd: 0.00585, savedUsd: 0 });
  });
});
