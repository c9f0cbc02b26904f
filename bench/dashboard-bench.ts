import { budgetBurn } from '../server/ledger/budget-burn.js';
import type { LedgerRecord } from '../server/ledger/ledger-record.js';
import { usageOverview } from '../server/ledger/usage-overview.js';
import { usageSeries } from '../server/ledger/usage-series.js';
import { UsageRollups } from '../server/ledger/usage-rollups.js';
import { usageFromRollups } from '../server/ledger/usage-from-rollups.js';
import { OverviewQuerySchema, SeriesQuerySchema } from '../shared/usage-api.js';

/**
 * `npm run bench:dashboard [-- --records N]`: books N (1,000,000) synthetic ledger records spread
 * over 30 days into the usage rollups, as the runtime does per request, then times each query the
 * dashboard makes (median of 20 runs). The answer's cost follows the cells per bucket, not N.
 */
const arg = process.argv.indexOf('--records');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const DAYS = 30;
const END = Date.parse('2026-11-30T00:00:00.000Z');
const START = END - DAYS * 86_400_000;
const TEAMS = ['search', 'ads', 'support', 'legal', 'growth', 'infra'];
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1-mini', 'claude-3-5-haiku-20241022'];
const RULES = ['route-cheap', 'route-mid', 'route-premium', 'cache-hit', 'degrade'];

function record(i: number): LedgerRecord {
  const team = TEAMS[i % TEAMS.length]!;
  return {
    id: `r${i}`,
    time: new Date(START + Math.floor((i / N) * DAYS * 86_400_000)).toISOString(),
    policy: i % 3 === 0 ? 'budget-guard' : 'cost-router',
    policyVersion: 1,
    rule: RULES[i % RULES.length]!,
    requestedModel: 'gpt-4o',
    servedModel: MODELS[i % MODELS.length]!,
    provider: 'openai',
    tags: { team, feature: i % 2 ? 'chat' : 'summary' },
    serviceKey: `svc-${i % 40}`,
    user: `u-${i % 500}`,
    inputTokens: 200 + (i % 700),
    outputTokens: 100 + (i % 300),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    promptCacheSavedUsd: 0,
    costUsd: ((i % 97) + 1) * 1e-5,
    savedUsd: (i % 5) * 1e-5,
    cache: i % 4 === 0 ? 'hit' : 'miss',
    latencyMs: 1,
    status: 200,
    stream: false,
    attempts: 1,
  };
}

function median(fn: () => unknown, runs = 20): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

// What building the synthetic records costs alone, taken off the booking figure.
const g0 = performance.now();
let sink = 0;
for (let i = 0; i < N; i++) sink += record(i).inputTokens;
const genMs = performance.now() - g0;
const rollups = new UsageRollups();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) rollups.add(record(i));
const addMs = performance.now() - t0 - genMs;
const cpu = process.cpuUsage(cpu0);
const from = new Date(START).toISOString();
const to = new Date(END).toISOString();
const last24 = new Date(END - 86_400_000).toISOString();
const q = {
  series30dDay: SeriesQuerySchema.parse({ groupBy: 'team', bucket: 'day', from, to }),
  series24hHour: SeriesQuerySchema.parse({ groupBy: 'model', bucket: 'hour', from: last24, to }),
  series30dTagFilter: SeriesQuerySchema.parse({ groupBy: 'tag:feature', bucket: 'day', from, to, filter: 'team=ads' }),
  overview30d: OverviewQuerySchema.parse({ from, to }),
};
const never = () => false;
const rows: [string, number][] = [
  ['series, 30 days by day, by team', median(() => usageSeries(rollups, q.series30dDay))],
  ['series, 24 hours by hour, by model', median(() => usageSeries(rollups, q.series24hHour))],
  ['series, 30 days, by tag, filter team=ads', median(() => usageSeries(rollups, q.series30dTagFilter))],
  ['/api/usage, 30 days, by team (from the rollups)', median(() => usageFromRollups(rollups, { groupBy: 'team', from: from.slice(0, 10), to: new Date(END - 1).toISOString().slice(0, 10), now: END - 1 }))],
  ['overview, 30 days', median(() => usageOverview(rollups, q.overview30d, never))],
  [
    'budget burn, month window, tag:team',
    median(() => budgetBurn({ rollups, budgets: [{ policy: 'p', scope: 'tag:team', limitUsd: 100, window: 'month' }], limits: { limitFor: () => undefined }, now: END - 1 })),
  ],
];
process.stdout.write(`# Dashboard bench (${new Date().toISOString().slice(0, 10)}, node ${process.version})\n\n| figure | value |\n|---|---|\n`);
process.stdout.write(`| ledger records booked into the rollups | ${N.toLocaleString('en')} over ${DAYS} days |\n`);
process.stdout.write(`| booking, per record (building the record excluded) | ${((addMs * 1000) / N).toFixed(2)} µs (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in all; checksum ${sink % 10}) |\n`);
for (const [name, ms] of rows) process.stdout.write(`| ${name} (median of 20) | ${ms.toFixed(2)} ms |\n`);
