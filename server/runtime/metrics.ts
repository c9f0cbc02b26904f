import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LedgerRecord } from '../ledger/ledger-record.js';

/**
 * Prometheus metrics, fed from the same record the ledger gets. One registry per runtime, so
 * several runtimes in one process (tests) do not share counters. Labels stay low-cardinality:
 * the team tag, never users or keys.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'tollgate_requests_total',
    help: 'Requests answered, by policy, rule, served model, status and cache outcome',
    labelNames: ['policy', 'rule', 'model', 'status', 'cache'] as const,
    registers: [this.registry],
    collect: () => this.flush(),
  });
  private readonly cost = new Counter({
    name: 'tollgate_cost_usd_total',
    help: 'Provider cost booked, in USD, by policy, served model and team tag',
    labelNames: ['policy', 'model', 'team'] as const,
    registers: [this.registry],
    collect: () => this.flush(),
  });
  private readonly saved = new Counter({
    name: 'tollgate_saved_usd_total',
    help: 'Cost avoided against the model asked for (cache hits and cheaper routes), in USD',
    labelNames: ['policy', 'team'] as const,
    registers: [this.registry],
    collect: () => this.flush(),
  });
  // A counter only goes up: a request that cost more than the model asked for (a cheap answer
  // checked, discarded and paid again) is booked here, so saved minus overspent is the net.
  private readonly overspent = new Counter({
    name: 'tollgate_overspent_usd_total',
    help: 'Cost beyond the model asked for (escalated answer checks pay for two calls), in USD; net savings are saved less this',
    labelNames: ['policy', 'team'] as const,
    registers: [this.registry],
    collect: () => this.flush(),
  });
  private readonly tokens = new Counter({
    name: 'tollgate_tokens_total',
    help: 'Tokens by direction (input, output, and of the input: cached, cache_write) and served model',
    labelNames: ['direction', 'model'] as const,
    registers: [this.registry],
    collect: () => this.flush(),
  });
  private readonly latency = new Histogram({
    name: 'tollgate_request_duration_seconds',
    help: 'Time from request to the last byte of the answer, provider time included',
    labelNames: ['policy'] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Kept Responses API responses on this instance's disk, read when scraped. */
  watchKeptResponses(stats: () => { records: number; bytes: number }): void {
    new Gauge({ name: 'tollgate_responses_kept', help: 'Responses API responses kept on this instance (for previous_response_id)', registers: [this.registry], collect() { this.set(stats().records); } });
    new Gauge({ name: 'tollgate_responses_kept_bytes', help: 'Bytes of kept Responses API responses on this instance', registers: [this.registry], collect() { this.set(stats().bytes); } });
  }

  /**
   * prom-client hashes and validates a label object on every inc() (0.6 µs a call on a labelled
   * child, `node` micro-benchmark of 1e6 calls; eight counters a request). The labelled children of one (policy, rule, model, status, cache, team) are looked
   * up once and kept, and the counters' increments are summed in plain numbers until a scrape
   * reads them (`collect`, which prom-client runs before every read of a metric).
   */
  private readonly series = new Map<string, Series>();
  private dirty: Series[] = [];
  private readonly flush = (): void => {
    const dirty = this.dirty;
    this.dirty = [];
    for (const series of dirty) flushSeries(series);
  };

  observe(record: LedgerRecord): void {
    const model = record.servedModel ?? 'none';
    const team = record.tags.team ?? '';
    const key = `${record.policy}\u0000${record.rule ?? ''}\u0000${model}\u0000${record.status}\u0000${record.cache}\u0000${team}`;
    let series = this.series.get(key);
    let kept = true;
    if (!series) {
      series = {
        counters: [
          this.requests.labels(record.policy, record.rule ?? '', model, String(record.status), record.cache),
          this.cost.labels(record.policy, model, team),
          this.saved.labels(record.policy, team),
          this.overspent.labels(record.policy, team),
          this.tokens.labels('input', model),
          this.tokens.labels('output', model),
          this.tokens.labels('cached', model),
          this.tokens.labels('cache_write', model),
        ],
        pending: [0, 0, 0, 0, 0, 0, 0, 0],
        dirty: false,
        latency: this.latency.labels(record.policy),
      };
      // Bounded: past this many combinations the children are still right, just not kept.
      kept = this.series.size < MAX_SERIES;
      if (kept) this.series.set(key, series);
    }
    const { pending } = series;
    pending[REQUESTS]! += 1;
    if (record.costUsd > 0) pending[COST]! += record.costUsd;
    if (record.savedUsd > 0) pending[SAVED]! += record.savedUsd;
    else if (record.savedUsd < 0) pending[OVERSPENT]! -= record.savedUsd;
    if (record.inputTokens > 0) pending[TOKENS_IN]! += record.inputTokens;
    if (record.outputTokens > 0) pending[TOKENS_OUT]! += record.outputTokens;
    if (record.cachedInputTokens > 0) pending[TOKENS_CACHED]! += record.cachedInputTokens;
    if (record.cacheWriteTokens > 0) pending[TOKENS_CACHE_WRITE]! += record.cacheWriteTokens;
    if (!kept) flushSeries(series);
    else if (!series.dirty) {
      series.dirty = true;
      this.dirty.push(series);
    }
    series.latency.observe(record.latencyMs / 1000);
  }
}

function flushSeries(series: Series): void {
  series.dirty = false;
  const { pending, counters } = series;
  for (let i = 0; i < pending.length; i++) {
    if (pending[i]! > 0) counters[i]!.inc(pending[i]);
    pending[i] = 0;
  }
}

const MAX_SERIES = 10_000;

/** Positions in Series.counters and Series.pending. */
const [REQUESTS, COST, SAVED, OVERSPENT, TOKENS_IN, TOKENS_OUT, TOKENS_CACHED, TOKENS_CACHE_WRITE] = [0, 1, 2, 3, 4, 5, 6, 7] as const;

interface Series {
  counters: { inc(value?: number): void }[];
  /** Increments not yet handed to prom-client, by counter. */
  pending: number[];
  /** In Metrics.dirty, waiting for the next scrape. */
  dirty: boolean;
  latency: { observe(value: number): void };
}
