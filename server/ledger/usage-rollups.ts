import { LRUCache } from 'lru-cache';
import { answerCheckCounts, type AnswerCheckCounts } from './answer-check-counts.js';
import { roundUsd } from '../../shared/cost.js';
import { costMicrosOf, type LedgerRecord } from './ledger-record.js';
import { readLedger, type ReadLedgerOptions } from './read-ledger.js';
import type { Scores, UsageGroup } from './summarize.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Days of ledger kept in rollups; older ranges are answered by scanning the files. */
export const ROLLUP_DAYS = 92;
/**
 * Money is summed in integer micro-dollars per record, as the ledger summary and the budgets
 * count it, so the dashboard and /api/usage agree to the micro-dollar.
 */
const UNITS_PER_USD = 1e6;
const UNITS_PER_MICRO = 1;

/** Everything a record is grouped or filtered by, except user and time. */
export interface CellDims {
  policy: string;
  model: string;
  requestedModel: string;
  provider: string;
  serviceKey: string;
  rule: string;
  cache: LedgerRecord['cache'];
  tags: Record<string, string>;
}

export interface Totals {
  requests: number;
  cost: number;
  saved: number;
  /** Saved on cache hits (the whole price of the model asked for). */
  cacheSaved: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  /** Saved by the providers' prompt caches, in the same units as cost. */
  promptCacheSaved: number;
  /** Saved by the batch lane's discount, and the requests it answered. */
  batchSaved: number;
  batchRequests: number;
  cacheHits: number;
  cacheMisses: number;
  errors: number;
  feedback: number;
  scoreSum: number;
  /** Cheap answers the learned router's check read, those asked again of the strong model, and what those cheap calls cost (same units as cost). */
  answersChecked: number;
  answersEscalated: number;
  escalatedCheapCost: number;
}

export interface Cell {
  dims: CellDims;
  totals: Totals;
}

interface Bucket {
  cells: Map<string, Cell>;
  users: Map<string, Totals>;
}

export type BucketSize = 'hour' | 'day';

/** Where one record was counted, so a later feedback on it lands in the same cells. */
interface Placement {
  hour: number;
  day: number;
  cell: string;
  user: string;
}

const DIM_FIELDS = ['policy', 'model', 'requestedModel', 'provider', 'serviceKey', 'rule', 'cache'] as const;
type DimField = (typeof DIM_FIELDS)[number];

export function emptyTotals(): Totals {
  return { requests: 0, cost: 0, saved: 0, cacheSaved: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, promptCacheSaved: 0, batchSaved: 0, batchRequests: 0, cacheHits: 0, cacheMisses: 0, errors: 0, feedback: 0, scoreSum: 0, answersChecked: 0, answersEscalated: 0, escalatedCheapCost: 0 };
}

export function addTotals(into: Totals, from: Totals): void {
  into.requests += from.requests;
  into.cost += from.cost;
  into.saved += from.saved;
  into.cacheSaved += from.cacheSaved;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.cacheWriteTokens += from.cacheWriteTokens;
  into.promptCacheSaved += from.promptCacheSaved;
  into.batchSaved += from.batchSaved;
  into.batchRequests += from.batchRequests;
  into.cacheHits += from.cacheHits;
  into.cacheMisses += from.cacheMisses;
  into.errors += from.errors;
  into.feedback += from.feedback;
  into.scoreSum += from.scoreSum;
  into.answersChecked += from.answersChecked;
  into.answersEscalated += from.answersEscalated;
  into.escalatedCheapCost += from.escalatedCheapCost;
}

export function unitsToMicros(units: number): number {
  return Math.round(units / UNITS_PER_MICRO);
}

function dimsOf(r: LedgerRecord): CellDims {
  return {
    policy: r.policy,
    model: r.servedModel ?? r.requestedModel,
    requestedModel: r.requestedModel,
    provider: r.provider ?? '',
    serviceKey: r.serviceKey,
    rule: r.rule ?? '',
    cache: r.cache,
    tags: r.tags,
  };
}

const MAX_INTERNED_KEYS = 50_000;

function cellKey(d: CellDims): string {
  const tags = Object.keys(d.tags)
    .sort()
    .map((k) => [k, d.tags[k]]);
  return JSON.stringify([d.policy, d.model, d.requestedModel, d.provider, d.serviceKey, d.rule, d.cache, tags]);
}

/** A cell's value for a group-by name: a record field, or (any other name, or `tag:<key>`) that tag. */
export function dimValue(dims: CellDims, groupBy: string): string {
  if ((DIM_FIELDS as readonly string[]).includes(groupBy)) return dims[groupBy as DimField];
  const tag = groupBy.startsWith('tag:') ? groupBy.slice(4) : groupBy;
  return dims.tags[tag] ?? '';
}

/** Whether rollups can group by this name (`day` and `branch:` need the ledger or are done by the caller). */
export function rollupDimension(groupBy: string): 'cell' | 'user' | null {
  if (groupBy === 'user') return 'user';
  if (groupBy === 'day' || groupBy.startsWith('branch:')) return null;
  return 'cell';
}

function checkTotals(c: AnswerCheckCounts): Pick<Totals, 'answersChecked' | 'answersEscalated' | 'escalatedCheapCost'> {
  return { answersChecked: c.checked, answersEscalated: c.escalated, escalatedCheapCost: c.escalatedCheapMicros * UNITS_PER_MICRO };
}

function totalsOf(r: LedgerRecord): Totals {
  const cost = costMicrosOf(r);
  const saved = Math.round(r.savedUsd * UNITS_PER_USD);
  return {
    requests: 1,
    cost,
    saved,
    cacheSaved: r.cache === 'hit' ? saved : 0,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cachedInputTokens: r.cachedInputTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    promptCacheSaved: Math.round(r.promptCacheSavedUsd * UNITS_PER_USD),
    batchSaved: Math.round((r.batchSavedUsd ?? 0) * UNITS_PER_USD),
    batchRequests: r.batchSavedUsd === undefined ? 0 : 1,
    cacheHits: r.cache === 'hit' ? 1 : 0,
    cacheMisses: r.cache === 'miss' ? 1 : 0,
    errors: r.status >= 400 ? 1 : 0,
    feedback: 0,
    scoreSum: 0,
    ...checkTotals(answerCheckCounts(r)),
  };
}

/**
 * Usage per hour and per UTC day, per combination of dimensions (policy, model, rule, service
 * key, tags...) and per user, kept as records are booked. A range query touches one cell per
 * combination per bucket instead of every record, so it costs the same at a million records as
 * at a thousand. Records older than `keepDays` before the newest are dropped.
 */
export class UsageRollups {
  private readonly hours = new Map<number, Bucket>();
  private readonly days = new Map<number, Bucket>();
  private readonly placed = new LRUCache<string, Placement>({ max: 200_000 });
  private readonly scored = new Map<string, number>();
  private readonly keys = new Map<string, string>();
  /** The first hour kept: earlier records are not in the rollups. */
  private horizon = -Infinity;

  constructor(private readonly keepDays = ROLLUP_DAYS) {}

  /** The earliest instant the rollups answer for. */
  get coversFrom(): number {
    return this.horizon;
  }

  add(record: LedgerRecord, score?: number): void {
    const at = Date.parse(record.time);
    if (Number.isNaN(at)) return;
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const day = Math.floor(at / DAY_MS) * DAY_MS;
    if (hour < this.horizon) return;
    const dims = dimsOf(record);
    const key = this.interned(cellKey(dims));
    const totals = totalsOf(record);
    if (score !== undefined) {
      totals.feedback = 1;
      totals.scoreSum = score;
      this.scored.set(record.id, score);
    }
    for (const bucket of [this.bucket(this.hours, hour), this.bucket(this.days, day)]) {
      let cell = bucket.cells.get(key);
      if (!cell) {
        cell = { dims, totals: emptyTotals() };
        bucket.cells.set(key, cell);
      }
      addTotals(cell.totals, totals);
      let user = bucket.users.get(record.user);
      if (!user) {
        user = emptyTotals();
        bucket.users.set(record.user, user);
      }
      addTotals(user, totals);
    }
    this.placed.set(record.id, { hour, day, cell: key, user: record.user });
    this.expire(day);
  }

  /**
   * One string per cell for the placements: 200,000 of them each held a fresh copy of a ~150-byte
   * key (about 30 MB). Distinct cells are few; the table starts over if they are not.
   */
  private interned(key: string): string {
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    if (this.keys.size >= MAX_INTERNED_KEYS) this.keys.clear();
    this.keys.set(key, key);
    return key;
  }

  /** A feedback score on a booked request; a later score on the same request replaces the earlier. False when the request is not known here. */
  score(requestId: string, score: number): boolean {
    const place = this.placed.get(requestId);
    if (!place) return false;
    const before = this.scored.get(requestId);
    this.scored.set(requestId, score);
    const delta = { ...emptyTotals(), feedback: before === undefined ? 1 : 0, scoreSum: score - (before ?? 0) };
    for (const [buckets, start] of [
      [this.hours, place.hour],
      [this.days, place.day],
    ] as const) {
      const bucket = buckets.get(start);
      const cell = bucket?.cells.get(place.cell);
      const user = bucket?.users.get(place.user);
      if (cell) addTotals(cell.totals, delta);
      if (user) addTotals(user, delta);
    }
    return true;
  }

  private bucket(buckets: Map<number, Bucket>, start: number): Bucket {
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = { cells: new Map(), users: new Map() };
      buckets.set(start, bucket);
    }
    return bucket;
  }

  private expire(newestDay: number): void {
    const horizon = newestDay - (this.keepDays - 1) * DAY_MS;
    if (horizon <= this.horizon) return;
    this.horizon = horizon;
    for (const buckets of [this.hours, this.days]) {
      for (const start of buckets.keys()) if (start < horizon) buckets.delete(start);
    }
  }

  /** Bucket starts in [from, to) holding data, in time order. Day buckets are used only for whole days. */
  private *bucketsIn(size: BucketSize, from: number, to: number): Generator<[number, Bucket]> {
    const buckets = size === 'hour' ? this.hours : this.days;
    const step = size === 'hour' ? HOUR_MS : DAY_MS;
    if (buckets.size <= (to - from) / step) {
      for (const start of [...buckets.keys()].sort((a, b) => a - b)) {
        if (start >= from && start < to) yield [start, buckets.get(start)!];
      }
      return;
    }
    for (let start = from; start < to; start += step) {
      const bucket = buckets.get(start);
      if (bucket) yield [start, bucket];
    }
  }

  /**
   * The cells of [from, to): whole days from the day rollups, the ragged ends from the hour
   * rollups. `from` and `to` must be whole hours. Calls `visit` once per cell per bucket.
   */
  visit(from: number, to: number, size: BucketSize, visit: (start: number, bucket: { cells: Iterable<Cell>; users: Map<string, Totals> }) => void): void {
    if (size === 'hour') {
      for (const [start, bucket] of this.bucketsIn('hour', from, to)) visit(start, { cells: bucket.cells.values(), users: bucket.users });
      return;
    }
    const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
    const lastDay = Math.floor(to / DAY_MS) * DAY_MS;
    if (firstDay >= lastDay) {
      for (const [start, bucket] of this.bucketsIn('hour', from, to)) visit(start, { cells: bucket.cells.values(), users: bucket.users });
      return;
    }
    for (const [start, bucket] of this.bucketsIn('hour', from, firstDay)) visit(start, { cells: bucket.cells.values(), users: bucket.users });
    for (const [start, bucket] of this.bucketsIn('day', firstDay, lastDay)) visit(start, { cells: bucket.cells.values(), users: bucket.users });
    for (const [start, bucket] of this.bucketsIn('hour', lastDay, to)) visit(start, { cells: bucket.cells.values(), users: bucket.users });
  }

  /** Same answer as UsageSummary over the records in [from, to), for a group-by rollupDimension() accepts. */
  summary(groupBy: string, from: number, to: number): UsageGroup[] {
    const dimension = rollupDimension(groupBy);
    if (!dimension) throw new Error(`rollups cannot group by ${groupBy}`);
    const groups = new Map<string, Totals>();
    const into = (key: string, totals: Totals) => {
      let group = groups.get(key);
      if (!group) {
        group = emptyTotals();
        groups.set(key, group);
      }
      addTotals(group, totals);
    };
    this.visit(from, to, 'day', (_start, bucket) => {
      if (dimension === 'user') for (const [user, totals] of bucket.users) into(user, totals);
      else for (const cell of bucket.cells) into(dimValue(cell.dims, groupBy), cell.totals);
    });
    return [...groups].map(([key, t]) => toUsageGroup(key, t)).sort((a, b) => b.costUsd - a.costUsd || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Rebuilt at start from the last `keepDays` of ledger files, with the feedback already booked. */
  static async rebuild(options: { ledgerDir: string; now: number; scores?: Scores; keepDays?: number } & Pick<ReadLedgerOptions, 'onSkip'>): Promise<UsageRollups> {
    const keepDays = options.keepDays ?? ROLLUP_DAYS;
    const rollups = new UsageRollups(keepDays);
    const from = new Date(Math.floor(options.now / DAY_MS) * DAY_MS - (keepDays - 1) * DAY_MS);
    for await (const record of readLedger(options.ledgerDir, { from, onSkip: options.onSkip })) {
      rollups.add(record, options.scores?.get(record.id)?.score);
    }
    return rollups;
  }
}

export function toUsageGroup(key: string, t: Totals): UsageGroup {
  return {
    key,
    requests: t.requests,
    costUsd: roundUsd(t.cost / UNITS_PER_USD),
    savedUsd: roundUsd(t.saved / UNITS_PER_USD),
    promptCacheSavedUsd: roundUsd(t.promptCacheSaved / UNITS_PER_USD),
    batchSavedUsd: roundUsd(t.batchSaved / UNITS_PER_USD),
    batchRequests: t.batchRequests,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cachedInputTokens: t.cachedInputTokens,
    cacheWriteTokens: t.cacheWriteTokens,
    cacheHits: t.cacheHits,
    errors: t.errors,
    feedback: t.feedback,
    quality: t.feedback > 0 ? Math.round((t.scoreSum / t.feedback) * 10_000) / 10_000 : null,
    answersChecked: t.answersChecked,
    answersEscalated: t.answersEscalated,
    escalatedCheapCostUsd: roundUsd(t.escalatedCheapCost / UNITS_PER_USD),
  };
}
