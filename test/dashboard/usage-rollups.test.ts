import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundUsd } from '../../shared/cost.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { summarize } from '../../server/ledger/summarize.js';
import { HOUR_MS, UsageRollups } from '../../server/ledger/usage-rollups.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

const START = Date.parse('2026-11-20T00:00:00.000Z');
const HOURS = 24 * 6;

const recordArb = fc.record({
    hour: fc.integer({ min: 0, max: HOURS - 1 }),
    minute: fc.integer({ min: 0, max: 59 }),
    team: fc.constantFrom('search', 'ads', 'infra', undefined),
    feature: fc.constantFrom('chat', 'summary', undefined),
    model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', null),
    policy: fc.constantFrom('cost-router', 'faq-cache'),
    rule: fc.constantFrom('route-cheap', 'route-premium', null),
    user: fc.constantFrom('u-1', 'u-2', 'u-3'),
    serviceKey: fc.constantFrom('svc-a', 'svc-b'),
    cache: fc.constantFrom('hit', 'miss', 'bypass' as const),
    cost: fc.double({ min: 0, max: 0.5, noNaN: true }),
    saved: fc.double({ min: 0, max: 0.1, noNaN: true }),
    status: fc.constantFrom(200, 200, 429, 502),
    tokens: fc.integer({ min: 0, max: 5000 }),
    score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  });
type Row = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

function toRecords(rows: Row[]): { records: LedgerRecord[]; scores: Map<string, { score: number }> } {
  const scores = new Map<string, { score: number }>();
  const records = rows
    .map((r, i) => {
      const tags: Record<string, string> = {};
      if (r.team) tags.team = r.team;
      if (r.feature) tags.feature = r.feature;
      const id = `req-${i}`;
      if (r.score !== undefined) scores.set(id, { score: r.score });
      return ledgerRecord({
        id,
        time: new Date(START + r.hour * HOUR_MS + r.minute * 60_000).toISOString(),
        tags,
        servedModel: r.model,
        policy: r.policy,
        rule: r.rule,
        user: r.user,
        serviceKey: r.serviceKey,
        cache: r.cache,
        costUsd: roundUsd(r.cost),
        savedUsd: roundUsd(r.saved),
        status: r.status,
        inputTokens: r.tokens,
        outputTokens: r.tokens >> 1,
      });
    })
    .sort((a, b) => (a.time < b.time ? -1 : 1));
  return { records, scores };
}

describe('usage rollups', () => {
  it('equal a straight summary of the ledger for any range of whole hours and any grouping', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 300 }),
        fc.integer({ min: 0, max: HOURS }),
        fc.integer({ min: 0, max: HOURS }),
        fc.constantFrom('team', 'feature', 'model', 'requestedModel', 'policy', 'rule', 'serviceKey', 'user', 'cache', 'provider', 'tag:team'),
        (rows, a, b, groupBy) => {
          const { records, scores } = toRecords(rows);
          const rollups = new UsageRollups();
          for (const record of records) rollups.add(record, scores.get(record.id)?.score);
          const from = START + Math.min(a, b) * HOUR_MS;
          const to = START + Math.max(a, b) * HOUR_MS;
          const inRange = records.filter((r) => Date.parse(r.time) >= from && Date.parse(r.time) < to);
          expect(rollups.summary(groupBy, from, to)).toEqual(summarize(inRange, groupBy, scores));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('books a later feedback score, and a second score on the same request replaces the first', () => {
    const rollups = new UsageRollups();
    rollups.add(ledgerRecord({ id: 'a', tags: { team: 'search' } }));
    rollups.add(ledgerRecord({ id: 'b', tags: { team: 'search' } }));
    expect(rollups.score('a', 1)).toBe(true);
    expect(rollups.score('b', 0)).toBe(true);
    expect(rollups.score('b', 0.5)).toBe(true);
    expect(rollups.score('unknown', 1)).toBe(false);
    const [search] = rollups.summary('team', Date.parse('2025-03-10T00:00:00Z'), Date.parse('2025-03-11T00:00:00Z'));
    expect(search).toMatchObject({ key: 'search', requests: 2, feedback: 2, quality: 0.75 });
  });

  it('forgets days older than the retention it was given', () => {
    const rollups = new UsageRollups(2);
    rollups.add(ledgerRecord({ id: 'old', time: '2025-03-01T10:00:00.000Z' }));
    rollups.add(ledgerRecord({ id: 'new', time: '2025-03-10T10:00:00.000Z' }));
    const all = rollups.summary('team', 0, Date.parse('2025-04-01T00:00:00Z'));
    expect(all[0]!.requests).toBe(1);
    expect(rollups.coversFrom).toBe(Date.parse('2025-03-09T00:00:00Z'));
  });
});
