import type { LedgerRecord } from '../ledger/ledger-record.js';
import { costMicrosOf } from '../ledger/ledger-record.js';
import { readLedger, type ReadLedgerOptions } from '../ledger/read-ledger.js';
import { BUDGET_WINDOWS, periodId, windowStart, type BudgetWindow } from './budget-window.js';
import { spendKeys, totalOf } from './spend-keys.js';

const DAY_MS = 86_400_000;

/**
 * Running spend per scope key and window (UTC day, week from Monday, month), in memory, in
 * integer micro-dollars: float sums drift (ten times 0.0125 is 0.12499999999999999, under a
 * $0.125 limit). Every record is counted under each of its spendKeys.
 */
export class SpendIndex {
  private readonly periods = new Map<string, Map<string, number>>();
  private today: { day: number; buckets: Map<string, number>[] } | null = null;
  private periodIds: { day: number; ids: Record<BudgetWindow, string> } | null = null;

  add(record: LedgerRecord): void {
    const micros = costMicrosOf(record);
    if (!(micros > 0)) return;
    const at = Date.parse(record.time);
    if (Number.isNaN(at)) return;
    const keys = spendKeys(record);
    for (const bucket of this.bucketsOfDay(at)) {
      for (const key of keys) bucket.set(key, (bucket.get(key) ?? 0) + micros);
    }
  }

  /** The day, week and month buckets of an instant, remembered per UTC day: every request books into them. */
  private bucketsOfDay(at: number): Map<string, number>[] {
    const day = Math.floor(at / DAY_MS);
    if (this.today?.day !== day) this.today = { day, buckets: BUDGET_WINDOWS.map((window) => this.bucket(window, at)) };
    return this.today.buckets;
  }

  /** Micro-dollars spent under a scope key (see scopeKey) in the window containing `now`. */
  spentMicros(key: string, window: BudgetWindow, now: number): number {
    const bucket = this.periods.get(this.periodOf(window, now));
    return bucket ? totalOf(bucket, key) : 0;
  }

  /** Every total kept, as period id (`day:2026-12-03`...), spend key and micro-dollars: what a shared store is seeded from. */
  *totals(): Generator<{ period: string; key: string; micros: number }> {
    for (const [period, bucket] of this.periods) for (const [key, micros] of bucket) yield { period, key, micros };
  }

  /** periodId, remembered per UTC day: it formats a date, and every budget check asks for it. */
  private periodOf(window: BudgetWindow, now: number): string {
    const day = Math.floor(now / DAY_MS);
    if (this.periodIds?.day !== day) this.periodIds = { day, ids: { day: periodId('day', now), week: periodId('week', now), month: periodId('month', now) } };
    return this.periodIds.ids[window];
  }

  /** Only the newest window of each kind is kept (older ones are dropped when a new one opens), so memory stays bounded. */
  private bucket(window: BudgetWindow, at: number): Map<string, number> {
    const id = periodId(window, at);
    let bucket = this.periods.get(id);
    if (bucket) return bucket;
    for (const other of this.periods.keys()) {
      if (other.startsWith(`${window}:`) && other < id) this.periods.delete(other);
    }
    bucket = new Map();
    this.periods.set(id, bucket);
    return bucket;
  }

  /** Rebuilt at start from the ledger files of the current month (and of the current week when it began last month). */
  static async rebuild(ledgerDir: string, now: number, options: Pick<ReadLedgerOptions, 'onSkip'> = {}): Promise<SpendIndex> {
    const index = new SpendIndex();
    const from = new Date(Math.min(windowStart('month', now), windowStart('week', now)));
    for await (const record of readLedger(ledgerDir, { ...options, from })) index.add(record);
    return index;
  }
}
