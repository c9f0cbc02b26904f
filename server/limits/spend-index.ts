import type { LedgerRecord } from '../ledger/ledger-record.js';
import { readLedger, type ReadLedgerOptions } from '../ledger/read-ledger.js';
import { BUDGET_WINDOWS, periodId, windowStart, type BudgetWindow } from './budget-window.js';

const DAY_MS = 86_400_000;

/** Internal key: spend of requests that carry the tag with any non-empty value. */
const tagged = (tag: string) => `tag:${tag}*`;

/**
 * Running spend per scope key and window (UTC day, week from Monday, month), in memory.
 * Every record is counted under `global`, its service key, its user and each of its tags, so
 * a budget on any scope is answered without knowing the policies in advance; `tag:<key>=`
 * (untagged) is global minus everything tagged with that key.
 */
export class SpendIndex {
  private readonly periods = new Map<string, Map<string, number>>();
  private today: { day: number; buckets: Map<string, number>[] } | null = null;

  add(record: LedgerRecord): void {
    if (!(record.costUsd > 0)) return;
    const at = Date.parse(record.time);
    if (Number.isNaN(at)) return;
    const keys = ['global', `serviceKey=${record.serviceKey}`, `user=${record.user}`];
    for (const [tag, value] of Object.entries(record.tags)) {
      if (value === '') continue;
      keys.push(`tag:${tag}=${value}`, tagged(tag));
    }
    for (const bucket of this.bucketsOfDay(at)) {
      for (const key of keys) bucket.set(key, (bucket.get(key) ?? 0) + record.costUsd);
    }
  }

  /** The day, week and month buckets of an instant, remembered per UTC day: every request books into them. */
  private bucketsOfDay(at: number): Map<string, number>[] {
    const day = Math.floor(at / DAY_MS);
    if (this.today?.day !== day) this.today = { day, buckets: BUDGET_WINDOWS.map((window) => this.bucket(window, at)) };
    return this.today.buckets;
  }

  /** USD spent under a scope key (see scopeKey) in the window containing `now`. */
  spent(key: string, window: BudgetWindow, now: number): number {
    const bucket = this.periods.get(periodId(window, now));
    if (!bucket) return 0;
    const untagged = /^tag:([^=]+)=$/.exec(key);
    if (untagged) return Math.max(0, (bucket.get('global') ?? 0) - (bucket.get(tagged(untagged[1]!)) ?? 0));
    return bucket.get(key) ?? 0;
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
