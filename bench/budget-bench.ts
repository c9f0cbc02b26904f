import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHAT_BODY, type Target } from './chat-request.js';
import type { LatencySummary } from './latency-client.js';
import { measureLatency, measureThroughput, type ThroughputSummary } from './load-runs.js';
import { median } from './percentiles.js';
import { runReservationMicro, type ReservationMicroReport } from './reservation-micro.js';
import { startTollgate, type TollgateProcess } from './tollgate-process.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface BudgetBenchOptions {
  rounds: number;
  latencyMs: number;
  throughputSeconds: number;
  warmupSeconds: number;
  connections: number;
}

export const BUDGET_BENCH_DEFAULTS: BudgetBenchOptions = { rounds: 3, latencyMs: 3000, throughputSeconds: 5, warmupSeconds: 4, connections: 32 };

export interface BudgetPathFigures {
  label: string;
  latencyP50Us: number;
  latencyP99Us: number;
  requestsPerSecond: number;
  failures: number;
}

export interface BudgetBenchReport {
  options: BudgetBenchOptions;
  /** The commit the "before" Tollgate was built from. */
  baseline: string;
  head: string;
  micro: ReservationMicroReport;
  paths: BudgetPathFigures[];
}

/** Every request of the runs goes down budget-guard's ok path for one team, so it reads and (after) reserves its budget. */
const BUDGET_HEADERS = { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': 'team=bench' };

function git(repo: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
}

/**
 * The baseline Tollgate: the tree of a commit (TOLLGATE_BENCH_BASELINE, or where this branch
 * left main), unpacked with `git archive` into a temp folder that borrows this repo's
 * node_modules, so before and after run side by side in one bench.
 */
function unpackBaseline(repo: string): { dir: string; commit: string } {
  const ref = process.env.TOLLGATE_BENCH_BASELINE || git(repo, ['merge-base', 'HEAD', 'main']);
  const commit = git(repo, ['rev-parse', '--short', ref]);
  const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-baseline-'));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: repo });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, commit };
}

async function checkBudgetPath(target: Target): Promise<void> {
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: CHAT_BODY });
  await res.arrayBuffer();
  const rule = res.headers.get('x-tollgate-rule');
  if (res.status !== 200 || rule !== 'route-as-asked' || res.headers.get('x-tollgate-provider') !== 'openai') {
    throw new Error(`the budget bench request did not take budget-guard's ok path to the upstream (status ${res.status}, rule ${rule})`);
  }
}

interface Samples {
  label: string;
  target: Target;
  latency: LatencySummary[];
  throughput: ThroughputSummary[];
}

/**
 * Added latency and throughput of a budget policy before and after reservations, in one run:
 * the loopback upstream, a Tollgate built from the baseline commit and one from this tree,
 * both serving budget-guard; rounds alternate the targets. Then the in-process micro-bench.
 */
export async function runBudgetBench(repo: string, log: (line: string) => void, overrides: Partial<BudgetBenchOptions> = {}): Promise<BudgetBenchReport> {
  const options = { ...BUDGET_BENCH_DEFAULTS, ...overrides };
  const baseline = unpackBaseline(repo);
  const children: TollgateProcess[] = [];
  let upstream: Upstream | undefined;
  try {
    upstream = await startUpstream(repo);
    const before = await startTollgate(baseline.dir, upstream);
    children.push(before);
    const after = await startTollgate(repo, upstream);
    children.push(after);
    const all: Samples[] = [
      { label: 'direct to upstream', target: { name: 'direct', url: `${upstream.baseUrl}/chat/completions`, headers: { ...after.target.headers }, pid: upstream.child.pid }, latency: [], throughput: [] },
      { label: `Tollgate ${baseline.commit} (before: no reservations)`, target: { ...before.target, headers: { ...before.target.headers, ...BUDGET_HEADERS } }, latency: [], throughput: [] },
      { label: `Tollgate ${git(repo, ['rev-parse', '--short', 'HEAD'])} (after: reserve + settle)`, target: { ...after.target, headers: { ...after.target.headers, ...BUDGET_HEADERS } }, latency: [], throughput: [] },
    ];
    for (const samples of all.slice(1)) await checkBudgetPath(samples.target);
    log(`budget bench: warm-up ${options.warmupSeconds} s per target`);
    for (const { target } of all) {
      await measureThroughput(target, options.connections, options.warmupSeconds);
      await measureLatency(repo, target, (options.warmupSeconds / 2) * 1000, 0);
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = [...all.slice(round % all.length), ...all.slice(0, round % all.length)];
      for (const samples of order) samples.latency.push(await measureLatency(repo, samples.target, options.latencyMs, 500));
      for (const samples of order) samples.throughput.push(await measureThroughput(samples.target, options.connections, options.throughputSeconds));
      log(`budget bench round ${round + 1}/${options.rounds}: ${all.map((s) => `${s.latency.at(-1)!.p50Us.toFixed(0)} µs, ${s.throughput.at(-1)!.requestsPerSecond.toFixed(0)} req/s`).join('; ')}`);
    }
    const paths = all.map((s) => ({
      label: s.label,
      latencyP50Us: median(s.latency.map((l) => l.p50Us)),
      latencyP99Us: median(s.latency.map((l) => l.p99Us)),
      requestsPerSecond: median(s.throughput.map((t) => t.requestsPerSecond)),
      failures: s.latency.reduce((n, l) => n + l.failures, 0) + s.throughput.reduce((n, t) => n + t.failures, 0),
    }));
    log('budget bench: reservation micro-bench ...');
    const micro = runReservationMicro(repo);
    return { options, baseline: baseline.commit, head: git(repo, ['rev-parse', '--short', 'HEAD']), micro, paths };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await upstream?.child.stop();
    rmSync(baseline.dir, { recursive: true, force: true });
  }
}

const ms = (us: number): string => (us / 1000).toFixed(3);
const us = (x: number): string => x.toFixed(2);

export function renderBudgetBench(report: BudgetBenchReport): string {
  const direct = report.paths[0]!;
  const { options: o, micro } = report;
  const rows = report.paths.map((p) => {
    const added = p === direct ? '-' : ms(p.latencyP50Us - direct.latencyP50Us);
    return `| ${p.label} | ${ms(p.latencyP50Us)} | ${ms(p.latencyP99Us)} | ${added} | ${Math.round(p.requestsPerSecond).toLocaleString('en-US')} | ${p.failures} |`;
  });
  return [
    `### Budget policy, before and after reservations (budget-guard, ok path; medians of ${o.rounds} alternating rounds)`,
    '',
    `| path | p50 ms (1 conn) | p99 ms (1 conn) | added p50 ms | req/s (${o.connections} conn) | failed |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `In process (${micro.iterations.toLocaleString('en-US')} calls each, mean): decide + plan ${us(micro.decideUs)} µs; ` +
      `admit (decide, plan, estimate, check, reserve) + release ${us(micro.admitReleaseUs)} µs, so reservations add ${us(micro.admitReleaseUs - micro.decideUs)} µs a request; ` +
      `reserve + release alone ${us(micro.reserveReleaseUs)} µs.`,
    '',
  ].join('\n');
}
