import { describe, expect, it } from 'vitest';
import { AlertFeed } from '../../server/alerts/alert-feed.js';
import { checkBudgets } from '../../server/alerts/budget-alerts.js';
import { BudgetBook } from '../../server/limits/budget-fact.js';
import { BudgetReservations } from '../../server/limits/budget-reservations.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

const at = (iso: string) => Date.parse(iso);

/** A feed on a fixed clock (no webhook: alerts stay unsent) and a daily $1 budget for each team. */
function setup() {
  let clock = 0;
  const feed = new AlertFeed({ env: {}, now: () => clock });
  const spend = new SpendIndex();
  const book = new BudgetBook(spend, new BudgetReservations());
  const budgets = [{ policy: 'cost-router', scope: 'tag:team', limitUsd: 1, window: 'day' as const }];
  let n = 0;
  const booking = (time: string, usd: number) => {
    clock = at(time);
    const record = ledgerRecord({ id: `r${++n}`, time, costUsd: usd, tags: { team: 'search' } });
    spend.add(record);
    checkBudgets({ feed, book, budgets, record, now: clock });
  };
  return { feed, booking };
}

describe('budget alerts follow the budget window', () => {
  it('a team above 80% of a daily budget alerts once that day, not every hour, and again the next day', () => {
    const { feed, booking } = setup();
    booking('2026-03-10T09:00:00.000Z', 0.85);
    booking('2026-03-10T10:30:00.000Z', 0.01);
    booking('2026-03-10T15:00:00.000Z', 0.01);
    booking('2026-03-10T23:59:00.000Z', 0.01);
    expect(feed.list().map((a) => [a.scope, a.at])).toEqual([['cost-router tag:team=search day 80%', '2026-03-10T09:00:00.000Z']]);

    booking('2026-03-11T00:10:00.000Z', 0.5);
    booking('2026-03-11T01:00:00.000Z', 0.31);
    booking('2026-03-11T03:00:00.000Z', 0.01);
    expect(feed.list().map((a) => [a.scope, a.at])).toEqual([
      ['cost-router tag:team=search day 80%', '2026-03-11T01:00:00.000Z'],
      ['cost-router tag:team=search day 80%', '2026-03-10T09:00:00.000Z'],
    ]);
  });

  it('crossing 100% later the same day is its own alert, raised once', () => {
    const { feed, booking } = setup();
    booking('2026-03-10T09:00:00.000Z', 0.85);
    booking('2026-03-10T12:00:00.000Z', 0.2);
    booking('2026-03-10T18:00:00.000Z', 0.2);
    expect(feed.list().map((a) => a.scope)).toEqual(['cost-router tag:team=search day 100%', 'cost-router tag:team=search day 80%']);
  });
});

describe('alert feed windows', () => {
  it('an alert naming a window is raised once in it, again for a later one, never for an earlier one', () => {
    const feed = new AlertFeed({ env: {}, now: () => at('2026-03-10T12:00:00.000Z') });
    const spike = { kind: 'anomaly' as const, scope: 'team=search', text: 'spike' };
    const hour = (h: number) => Date.UTC(2026, 2, 10, h);
    expect(feed.raise(spike, { windowStart: hour(11) })).not.toBeNull();
    expect(feed.raise(spike, { windowStart: hour(11) })).toBeNull();
    expect(feed.raise(spike, { windowStart: hour(10) })).toBeNull();
    expect(feed.raise(spike, { windowStart: hour(12) })).not.toBeNull();
    expect(feed.raise({ ...spike, scope: 'team=ads' }, { windowStart: hour(12) })).not.toBeNull();
    expect(feed.list()).toHaveLength(3);
  });
});
