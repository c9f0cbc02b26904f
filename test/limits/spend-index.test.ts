import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageLedger } from '../../server/ledger/usage-ledger.js';
import { BudgetBook } from '../../server/limits/budget-fact.js';
import { BudgetReservations } from '../../server/limits/budget-reservations.js';
import { BudgetOverrides } from '../../server/limits/budget-overrides.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import { windowStart } from '../../server/limits/budget-window.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

const at = (iso: string) => Date.parse(iso);
// 2025-03-12 is a Wednesday; its week began on Monday 2025-03-10.
const WEDNESDAY = '2025-03-12T15:00:00Z';

describe('budget windows', () => {
  it('start at UTC midnight, on Monday, and on the 1st', () => {
    expect(new Date(windowStart('day', at(WEDNESDAY))).toISOString()).toBe('2025-03-12T00:00:00.000Z');
    expect(new Date(windowStart('week', at(WEDNESDAY))).toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(new Date(windowStart('week', at('2025-03-16T23:59:59Z'))).toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(new Date(windowStart('week', at('2025-03-17T00:00:00Z'))).toISOString()).toBe('2025-03-17T00:00:00.000Z');
    expect(new Date(windowStart('month', at(WEDNESDAY))).toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });
});

describe('spend index', () => {
  it('sums spend per scope value within each window', () => {
    const index = new SpendIndex();
    index.add(ledgerRecord({ time: '2025-03-12T01:00:00Z', costUsd: 1, tags: { team: 'search' } }));
    index.add(ledgerRecord({ time: '2025-03-11T01:00:00Z', costUsd: 2, tags: { team: 'search' } }));
    index.add(ledgerRecord({ time: '2025-03-03T01:00:00Z', costUsd: 4, tags: { team: 'search' } }));
    index.add(ledgerRecord({ time: '2025-03-12T02:00:00Z', costUsd: 8, tags: { team: 'ads' } }));
    const now = at(WEDNESDAY);
    expect(index.spentMicros('tag:team=search', 'day', now)).toBe(1_000_000);
    expect(index.spentMicros('tag:team=search', 'week', now)).toBe(3_000_000);
    expect(index.spentMicros('tag:team=search', 'month', now)).toBe(7_000_000);
    expect(index.spentMicros('global', 'day', now)).toBe(9_000_000);
    expect(index.spentMicros('serviceKey=svc-search', 'month', now)).toBe(15_000_000);
    expect(index.spentMicros('tag:team=ads', 'week', now)).toBe(8_000_000);
  });

  it('counts untagged spend under the empty tag value', () => {
    const index = new SpendIndex();
    index.add(ledgerRecord({ costUsd: 1, tags: { team: 'search' } }));
    index.add(ledgerRecord({ costUsd: 2, tags: {} }));
    index.add(ledgerRecord({ costUsd: 4, tags: { team: '' } }));
    expect(index.spentMicros('tag:team=', 'day', at('2025-03-10T13:00:00Z'))).toBe(6_000_000);
  });

  it('starts a new window at zero', () => {
    const index = new SpendIndex();
    index.add(ledgerRecord({ time: '2025-03-10T23:59:59Z', costUsd: 5 }));
    expect(index.spentMicros('global', 'day', at('2025-03-11T00:00:00Z'))).toBe(0);
    expect(index.spentMicros('global', 'week', at('2025-03-11T00:00:00Z'))).toBe(5_000_000);
  });

  describe('rebuilt from the ledger', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'tollgate-spend-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads the current month and the part of the week that fell in the last one', async () => {
      const ledger = new UsageLedger(dir);
      ledger.append(ledgerRecord({ time: '2025-02-20T10:00:00Z', costUsd: 100 }));
      ledger.append(ledgerRecord({ time: '2025-03-31T10:00:00Z', costUsd: 1 }));
      ledger.append(ledgerRecord({ time: '2025-04-01T10:00:00Z', costUsd: 2 }));
      ledger.append(ledgerRecord({ time: '2025-04-02T10:00:00Z', costUsd: 4 }));
      ledger.close();
      const now = at('2025-04-02T12:00:00Z');
      const index = await SpendIndex.rebuild(dir, now);
      expect(index.spentMicros('global', 'day', now)).toBe(4_000_000);
      expect(index.spentMicros('global', 'week', now)).toBe(7_000_000);
      expect(index.spentMicros('global', 'month', now)).toBe(6_000_000);
    });
  });
});

describe('budgetUsedPct', () => {
  const facts = { tags: { team: 'research' }, serviceKey: 'svc', user: 'u' };
  const index = new SpendIndex();
  index.add(ledgerRecord({ time: '2025-03-12T01:00:00Z', costUsd: 30, tags: { team: 'research' } }));
  const now = at(WEDNESDAY);
  const book = new BudgetBook(index, new BudgetReservations());

  it('is what the scope spent in the window as a share of the limit', () => {
    expect(book.usedPct({ scope: 'tag:team', limitUsd: 50, window: 'day' }, facts, now)).toBe(60);
    expect(book.usedPct({ scope: 'tag:team', limitUsd: 50, window: 'day' }, { ...facts, tags: { team: 'ads' } }, now)).toBe(0);
  });

  describe('with overrides from budgets.json', () => {
    let dir: string;
    beforeEach(() => {
      dir = path.join(mkdtempSync(path.join(tmpdir(), 'tollgate-budgets-')), 'data');
    });
    afterEach(() => {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    it('uses the limit set for that scope value, and keeps it across a reopen', async () => {
      const overrides = await BudgetOverrides.open(dir);
      await overrides.set('tag:team=research', { day: 200 });
      const params = { scope: 'tag:team', limitUsd: 50, window: 'day' } as const;
      expect(new BudgetBook(index, new BudgetReservations(), overrides).usedPct(params, facts, now)).toBe(15);
      expect(new BudgetBook(index, new BudgetReservations(), overrides).usedPct({ ...params, window: 'week' }, facts, now)).toBe(60);

      const reopened = await BudgetOverrides.open(dir);
      expect(reopened.all()).toEqual({ 'tag:team=research': { day: 200 } });
      await reopened.set('tag:team=research', null);
      expect(new BudgetBook(index, new BudgetReservations(), reopened).usedPct(params, facts, now)).toBe(60);
      expect((await BudgetOverrides.open(dir)).all()).toEqual({});
    });

    it('refuses a budgets.json that is not a map of scope keys to limits', async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'budgets.json'), JSON.stringify({ 'team=research': { day: 1 } }));
      await expect(BudgetOverrides.open(dir)).rejects.toThrow(/budgets\.json/);
    });
  });
});
