import type { ScopeSubject } from '../limits/scope-key.js';
import { utcDay } from './ledger-files.js';
import { costMicrosOf, type LedgerRecord } from './ledger-record.js';
import { readLedger, type ReadLedgerOptions } from './read-ledger.js';

/** Distinct callers kept per row: enough for every team or key a budget node lists, bounded for a flood of user ids. */
export const SUBJECTS_PER_ROW = 10_000;

/** Today's records of one policy that took the same rule and ended the same way, folded together. */
export interface RollupRow {
  policy: string;
  policyVersion: number;
  rule: string;
  requestedModel: string;
  servedModel: string | null;
  cache: LedgerRecord['cache'];
  requests: number;
  costMicros: number;
  /** The distinct callers (tags, service key, user) among them, for the scopes a budget node counts under. */
  subjects: Map<string, ScopeSubject>;
}

/**
 * Today's (UTC) ledger, folded per policy into one row per version, rule, models and cache
 * outcome, fed as requests are booked: what the canvas's live figures read every few seconds,
 * without reading the day's ledger again. A new day starts it empty.
 */
export class DayRollup {
  private day = '';
  private readonly byPolicy = new Map<string, Map<string, RollupRow>>();

  add(record: LedgerRecord): void {
    if (record.rule === null) return;
    const day = utcDay(record.time);
    if (day < this.day) return;
    if (day > this.day) this.startDay(day);
    let rows = this.byPolicy.get(record.policy);
    if (!rows) this.byPolicy.set(record.policy, (rows = new Map()));
    const key = `${record.policyVersion}\u0000${record.rule}\u0000${record.requestedModel}\u0000${record.servedModel ?? ''}\u0000${record.cache}`;
    let row = rows.get(key);
    if (!row) {
      row = { policy: record.policy, policyVersion: record.policyVersion, rule: record.rule, requestedModel: record.requestedModel, servedModel: record.servedModel, cache: record.cache, requests: 0, costMicros: 0, subjects: new Map() };
      rows.set(key, row);
    }
    row.requests++;
    row.costMicros += costMicrosOf(record);
    if (row.subjects.size < SUBJECTS_PER_ROW) {
      const subject = JSON.stringify([record.serviceKey, record.user, record.tags]);
      if (!row.subjects.has(subject)) row.subjects.set(subject, { tags: record.tags, serviceKey: record.serviceKey, user: record.user });
    }
  }

  /** The policy's rows of the day containing `now` (none once that day has passed without a request). */
  rows(policy: string, now: number): RollupRow[] {
    if (utcDay(now) !== this.day) return [];
    return [...(this.byPolicy.get(policy)?.values() ?? [])];
  }

  private startDay(day: string): void {
    this.day = day;
    this.byPolicy.clear();
  }

  /** Rebuilt at start from today's ledger file. */
  static async rebuild(ledgerDir: string, now: number, options: Pick<ReadLedgerOptions, 'onSkip'> = {}): Promise<DayRollup> {
    const rollup = new DayRollup();
    for await (const record of readLedger(ledgerDir, { ...options, from: `${utcDay(now)}T00:00:00.000Z` })) rollup.add(record);
    return rollup;
  }
}
