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
  });
  private readonly cost = new Counter({
    name: 'tollgate_cost_usd_total',
    help: 'Provider cost booked, in USD, by policy, served model and team tag',
    labelNames: ['policy', 'model', 'team'] as const,
    registers: [this.registry],
  });
  private readonly saved = new Counter({
    name: 'tollgate_saved_usd_total',
    help: 'Cost avoided against the model asked for (cache hits and cheaper routes), in USD',
    labelNames: ['policy', 'team'] as const,
    registers: [this.registry],
  });
  // A counter only goes up: a request that cost more than the model asked for (a cheap answer
  // checked, discarded and paid again) is booked here, so saved minus overspent is the net.
  private readonly overspent = new Counter({
    name: 'tollgate_overspent_usd_total',
    help: 'Cost beyond the model asked for (escalated answer checks pay for two calls), in USD; net savings are saved less this',
    labelNames: ['policy', 'team'] as const,
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'tollgate_tokens_total',
    help: 'Tokens by direction (input, output, and of the input: cached, cache_write) and served model',
    labelNames: ['direction', 'model'] as const,
    registers: [this.registry],
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
   * prom-client hashes a label object on every inc(); the labelled children of one
   * (policy, rule, model, status, cache, team) are looked up once and kept.
   */
  private readonly series = new Map<string, Series>();

  observe(record: LedgerRecord): void {
    const model = record.servedModel ?? 'none';
    const team = record.tags.team ?? '';
    const key = `${record.policy}\u0000${record.rule ?? ''}\u0000${model}\u0000${record.status}\u0000${record.cache}\u0000${team}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        requests: this.requests.labels(record.policy, record.rule ?? '', model, String(record.status), record.cache),
        cost: this.cost.labels(record.policy, model, team),
        saved: this.saved.labels(record.policy, team),
        overspent: this.overspent.labels(record.policy, team),
        tokensIn: this.tokens.labels('input', model),
        tokensOut: this.tokens.labels('output', model),
        tokensCached: this.tokens.labels('cached', model),
        tokensCacheWrite: this.tokens.labels('cache_write', model),
        latency: this.latency.labels(record.policy),
      };
      // Bounded: past this many combinations the children are still right, just not kept.
      if (this.series.size < MAX_SERIES) this.series.set(key, series);
    }
    series.requests.inc();
    if (record.costUsd > 0) series.cost.inc(record.costUsd);
    if (record.savedUsd > 0) series.saved.inc(record.savedUsd);
    else if (record.savedUsd < 0) series.overspent.inc(-record.savedUsd);
    if (record.inputTokens > 0) series.tokensIn.inc(record.inputTokens);
    if (record.outputTokens > 0) series.tokensOut.inc(record.outputTokens);
    if (record.cachedInputTokens > 0) series.tokensCached.inc(record.cachedInputTokens);
    if (record.cacheWriteTokens > 0) series.tokensCacheWrite.inc(record.cacheWriteTokens);
    series.latency.observe(record.latencyMs / 1000);
  }
}

const MAX_SERIES = 10_000;

interface Series {
  requests: { inc(value?: number): void };
  cost: { inc(value?: number): void };
  saved: { inc(value?: number): void };
  overspent: { inc(value?: number): void };
  tokensIn: { inc(value?: number): void };
  tokensOut: { inc(value?: number): void };
  tokensCached: { inc(value?: number): void };
  tokensCacheWrite: { inc(value?: number): void };
  latency: { observe(value: number): void };
}
