import type { ProfileSummary } from './cpu-profile-summary.js';
import type { DecisionBenchReport } from './decision-bench.js';
import type { HttpBenchReport, TargetFigures } from './http-bench.js';
import { isBusy, machineLine, type Machine } from './machine.js';
import { PORTKEY_VERSION } from './portkey-process.js';

export interface Verdict {
  target: string;
  figure: string;
  met: boolean;
}

/** The targets; figures come from one run of `npm run bench`. */
export const TARGETS = {
  decisionP50UsAt100Rules: 20,
  speedupOverJsonRulesEngine: 100,
  addedLatencyP50Ms: 0.5,
  throughputTimesPortkey: 5,
} as const;

const us = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ms = (microseconds: number): string => (microseconds / 1000).toFixed(2);
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function decisionVerdicts(decision: DecisionBenchReport): Verdict[] {
  const big = decision.results.find((r) => r.ruleCount >= 50) ?? decision.results.at(-1)!;
  return [
    { target: `decision p50 ≤ ${TARGETS.decisionP50UsAt100Rules} µs at ${big.ruleCount} rules`, figure: `${us(big.fastPath.p50Us)} µs`, met: big.fastPath.p50Us <= TARGETS.decisionP50UsAt100Rules },
    { target: `over ${TARGETS.speedupOverJsonRulesEngine}× faster than json-rules-engine run() at ${big.ruleCount} rules (p50)`, figure: `${int(big.speedupP50)}×`, met: big.speedupP50 > TARGETS.speedupOverJsonRulesEngine },
  ];
}

export function httpVerdicts(http: HttpBenchReport): Verdict[] {
  const added = http.tollgate.latencyP50Us - http.direct.latencyP50Us;
  const ratio = http.tollgate.requestsPerSecond / http.portkey.requestsPerSecond;
  return [
    { target: `added latency p50 ≤ ${TARGETS.addedLatencyP50Ms} ms at 1 connection`, figure: `${ms(added)} ms`, met: added <= TARGETS.addedLatencyP50Ms * 1000 },
    { target: `throughput at ${http.options.connections} connections ≥ ${TARGETS.throughputTimesPortkey}× Portkey's`, figure: `${ratio.toFixed(1)}×`, met: ratio >= TARGETS.throughputTimesPortkey },
  ];
}

function decisionSection(decision: DecisionBenchReport): string[] {
  return [
    '### Decision time (one decision, µs)',
    '',
    ...table(
      ['rule set', 'conditions', 'json-rules-engine p50', 'json-rules-engine p99', 'fast path p50', 'fast path p99', `fast path mean (batches of ${decision.batch})`, 'speed-up (p50)'],
      decision.results.map((r) => [
        `${r.ruleCount} rules`,
        int(r.conditionCount),
        us(r.jsonRulesEngine.p50Us),
        us(r.jsonRulesEngine.p99Us),
        us(r.fastPath.p50Us),
        us(r.fastPath.p99Us),
        us(r.fastPathBatchMeanUs),
        `${int(r.speedupP50)}×`,
      ]),
    ),
    '',
    `Each call timed alone with process.hrtime.bigint() (timer pair overhead ${us(decision.timerOverheadUs)} µs, left in); the batch column times ${decision.batch} calls together and divides. ` +
      `json-rules-engine: one Engine built once per rule set, dynamic facts registered with addFact, \`await engine.run(facts)\` per call. Both decide alike on all bench requests (checked before timing).`,
  ];
}

function httpRow(label: string, f: TargetFigures, direct: TargetFigures): string[] {
  const isDirect = f === direct;
  return [
    label,
    ms(f.latencyP50Us),
    ms(f.latencyP99Us),
    isDirect ? '-' : ms(f.latencyP50Us - direct.latencyP50Us),
    isDirect ? '-' : ms(f.latencyP99Us - direct.latencyP99Us),
    int(f.requestsPerSecond),
    isDirect ? '100%' : `${((100 * f.requestsPerSecond) / direct.requestsPerSecond).toFixed(1)}%`,
    f.cpuUsPerRequest === null ? '-' : int(f.cpuUsPerRequest),
    f.peakRssMiB === null ? '-' : f.peakRssMiB.toFixed(0),
    String(f.failures),
  ];
}

function httpSection(http: HttpBenchReport): string[] {
  const { options: o, direct, tollgate, portkey } = http;
  const noise = http.otherWorkPct === null ? [] : ['', `Other processes used ${http.otherWorkPct.toFixed(1)}% of the cores during these runs${http.otherWorkPct > 5 ? ': the figures are skewed by them' : ''}.`];
  return [
    `### Through a gateway (loopback upstream, plain gpt-4o-mini request; medians of ${o.rounds} alternating rounds)`,
    '',
    ...table(
      ['path', 'p50 ms (1 conn)', 'p99 ms (1 conn)', 'added p50 ms', 'added p99 ms', `req/s (${o.connections} conn)`, 'of direct', 'CPU µs/req', 'peak RSS MiB', 'failed'],
      [
        httpRow('direct to upstream', direct, direct),
        ...(http.bareProxy ? [httpRow('bare Node proxy (floor)', http.bareProxy, direct)] : []),
        httpRow('Tollgate', tollgate, direct),
        httpRow(`Portkey ${PORTKEY_VERSION}`, portkey, direct),
      ],
    ),
    '',
    `Tollgate serves ${(tollgate.requestsPerSecond / portkey.requestsPerSecond).toFixed(1)}× Portkey's throughput. ` +
      `Tollgate path: policy ${http.tollgateHeaders['x-tollgate-policy']}, rule ${http.tollgateHeaders['x-tollgate-rule']}, provider ${http.tollgateHeaders['x-tollgate-provider']}, cache ${http.tollgateHeaders['x-tollgate-cache']}, ledger on. ` +
      `Latency: ${o.latencyMs / 1000} s per run on one keep-alive connection (own client, µs timer); throughput: autocannon, ${o.throughputSeconds} s per run. ` +
      (http.bareProxy ? 'Bare Node proxy: node:http in, undici out, body parsed and answer re-serialised, nothing else (bench/bare-proxy-server.ts). ' : '') +
      `CPU µs/req: user+system time of the process the client talks to (the upstream itself on the direct row) over its throughput runs; peak RSS: its VmHWM after all runs. The upstream served ${int(http.upstreamServed)} completions.`,
    ...noise,
  ];
}

function verdictSection(verdicts: Verdict[]): string[] {
  return ['### Targets', '', ...table(['target', 'figure', 'verdict'], verdicts.map((v) => [v.target, v.figure, v.met ? 'met' : '**missed**']))];
}

export function profileSection(profile: ProfileSummary): string[] {
  return [
    '### Where Tollgate spends its time (CPU profile under the same load, self time, % of busy time)',
    '',
    ...table(['function', '%', 'ms'], profile.functions.map((f) => [`\`${f.name}\``, f.pct.toFixed(1), f.ms.toFixed(0)])),
    '',
    ...table(['source', '%', 'ms'], profile.sources.map((f) => [f.name, f.pct.toFixed(1), f.ms.toFixed(0)])),
    '',
    'Project functions by inclusive time (their own time plus what they call, synchronously):',
    '',
    ...table(['function', '%', 'ms'], profile.projectInclusive.map((f) => [`\`${f.name}\``, f.pct.toFixed(1), f.ms.toFixed(0)])),
  ];
}

export interface BenchReport {
  machine: Machine;
  decision?: DecisionBenchReport;
  http?: HttpBenchReport;
  profile?: ProfileSummary;
}

export function verdicts(report: BenchReport): Verdict[] {
  return [...(report.decision ? decisionVerdicts(report.decision) : []), ...(report.http ? httpVerdicts(report.http) : [])];
}

export function renderReport(report: BenchReport): string {
  const lines = [`## Tollgate bench`, '', `Machine: ${machineLine(report.machine)}.`];
  if (isBusy(report.machine)) lines.push('', '> Other work was using the machine when the bench started: every figure below is skewed by it (try `npm run bench -- --wait-quiet`).');
  if (report.decision) lines.push('', ...decisionSection(report.decision));
  if (report.http) lines.push('', ...httpSection(report.http));
  lines.push('', ...verdictSection(verdicts(report)));
  if (report.profile) lines.push('', ...profileSection(report.profile));
  return `${lines.join('\n')}\n`;
}
