import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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
  private readonly tokens = new Counter({
    name: 'tollgate_tokens_total',
    help: 'Tokens by direction and served model',
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

  observe(record: LedgerRecord): void {
    const model = record.servedModel ?? 'none';
    const team = record.tags.team ?? '';
    this.requests.inc({ policy: record.policy, rule: record.rule ?? '', model, status: String(record.status), cache: record.cache });
    if (record.costUsd > 0) this.cost.inc({ policy: record.policy, model, team }, record.costUsd);
    if (record.savedUsd > 0) this.saved.inc({ policy: record.policy, team }, record.savedUsd);
    if (record.inputTokens > 0) this.tokens.inc({ direction: 'input', model }, record.inputTokens);
    if (record.outputTokens > 0) this.tokens.inc({ direction: 'output', model }, record.outputTokens);
    this.latency.observe({ policy: record.policy }, record.latencyMs / 1000);
  }
}
