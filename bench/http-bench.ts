import type { Target } from './chat-request.js';
import type { LatencySummary } from './latency-client.js';
import { measureLatency, measureThroughput, type ThroughputSummary } from './load-runs.js';
import { median } from './percentiles.js';
import { cpuTimeMs, peakRssMiB } from './proc-status.js';
import { checkPortkeyRoutesToUpstream, ensurePortkey, startPortkey, type PortkeyProcess } from './portkey-process.js';
import { checkTollgateRoutesToUpstream, startTollgate, type TollgateProcess } from './tollgate-process.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface HttpBenchOptions {
  rounds: number;
  latencyMs: number;
  latencyWarmupMs: number;
  connections: number;
  throughputSeconds: number;
  /** One throughput run per target before the rounds, so every process is JIT-warm and pooled. */
  warmupSeconds: number;
}

export const HTTP_DEFAULTS: HttpBenchOptions = { rounds: 3, latencyMs: 4000, latencyWarmupMs: 1000, connections: 32, throughputSeconds: 5, warmupSeconds: 3 };

export interface TargetFigures {
  name: Target['name'];
  /** Medians over the rounds. */
  latencyP50Us: number;
  latencyP99Us: number;
  requestsPerSecond: number;
  failures: number;
  latencyRounds: LatencySummary[];
  throughputRounds: ThroughputSummary[];
  /** VmHWM of the process the client talks to (for direct, the upstream) after all runs. */
  peakRssMiB: number | null;
  /** CPU time (user + system) that process spent per answered request in the throughput runs. */
  cpuUsPerRequest: number | null;
}

export interface HttpBenchReport {
  options: HttpBenchOptions;
  direct: TargetFigures;
  tollgate: TargetFigures;
  portkey: TargetFigures;
  /** The x-tollgate-* headers of the check request: proof of the path measured. */
  tollgateHeaders: Record<string, string>;
  upstreamServed: number;
}

interface Samples {
  target: Target;
  latency: LatencySummary[];
  throughput: ThroughputSummary[];
  cpuMs: number;
}

function figures(samples: Samples): TargetFigures {
  const { target, latency, throughput } = samples;
  return {
    name: target.name,
    latencyP50Us: median(latency.map((l) => l.p50Us)),
    latencyP99Us: median(latency.map((l) => l.p99Us)),
    requestsPerSecond: median(throughput.map((t) => t.requestsPerSecond)),
    failures: latency.reduce((n, l) => n + l.failures, 0) + throughput.reduce((n, t) => n + t.failures, 0),
    latencyRounds: latency,
    throughputRounds: throughput,
    peakRssMiB: target.pid === undefined ? null : peakRssMiB(target.pid),
    cpuUsPerRequest: target.pid === undefined ? null : (1000 * samples.cpuMs) / throughput.reduce((n, t) => n + t.ok, 0),
  };
}

/** Each round starts with the next target, so no target always runs first (or last) after the others heated the machine. */
function roundOrder<T>(items: T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Latency at one connection and throughput at `connections`, straight to a loopback upstream,
 * through Tollgate and through Portkey's gateway, in alternating rounds; medians reported.
 */
export async function runHttpBench(repo: string, log: (line: string) => void, overrides: Partial<HttpBenchOptions> = {}): Promise<HttpBenchReport> {
  const options = { ...HTTP_DEFAULTS, ...overrides };
  const portkeyEntry = await ensurePortkey(repo, log);
  let upstream: Upstream | undefined;
  let tollgate: TollgateProcess | undefined;
  let portkey: PortkeyProcess | undefined;
  try {
    upstream = await startUpstream(repo);
    tollgate = await startTollgate(repo, upstream);
    portkey = await startPortkey(repo, portkeyEntry, upstream);
    const tollgateHeaders = await checkTollgateRoutesToUpstream(tollgate.target, upstream);
    await checkPortkeyRoutesToUpstream(portkey.target, upstream);
    const direct: Target = { name: 'direct', url: `${upstream.baseUrl}/chat/completions`, headers: { ...tollgate.target.headers }, pid: upstream.child.pid };

    const all: Samples[] = [direct, tollgate.target, portkey.target].map((target) => ({ target, latency: [], throughput: [], cpuMs: 0 }));
    log(`warm-up: ${options.warmupSeconds} s at ${options.connections} connections per target`);
    for (const { target } of all) await measureThroughput(target, options.connections, options.warmupSeconds);
    for (let round = 0; round < options.rounds; round++) {
      for (const samples of roundOrder(all, round)) {
        samples.latency.push(await measureLatency(repo, samples.target, options.latencyMs, options.latencyWarmupMs));
      }
      for (const samples of roundOrder(all, round)) {
        const pid = samples.target.pid;
        const cpuBefore = pid === undefined ? 0 : cpuTimeMs(pid);
        samples.throughput.push(await measureThroughput(samples.target, options.connections, options.throughputSeconds));
        samples.cpuMs += pid === undefined ? 0 : cpuTimeMs(pid) - cpuBefore;
      }
      log(`round ${round + 1}/${options.rounds}: ${all.map((s) => `${s.target.name} p50 ${s.latency.at(-1)!.p50Us.toFixed(0)} µs, ${s.throughput.at(-1)!.requestsPerSecond.toFixed(0)} req/s`).join('; ')}`);
    }

    const [directFigures, tollgateFigures, portkeyFigures] = all.map(figures) as [TargetFigures, TargetFigures, TargetFigures];
    const upstreamServed = await upstream.served();
    const answered = [tollgateFigures, portkeyFigures, directFigures].reduce((n, f) => n + f.throughputRounds.reduce((m, t) => m + t.ok, 0) + f.latencyRounds.reduce((m, l) => m + l.requests - l.failures, 0), 0);
    if (upstreamServed < answered) {
      throw new Error(`the upstream served ${upstreamServed} completions but the clients got ${answered} answers: something answered without calling it`);
    }
    return { options, direct: directFigures, tollgate: tollgateFigures, portkey: portkeyFigures, tollgateHeaders, upstreamServed };
  } finally {
    await Promise.all([tollgate?.stop(), portkey?.child.stop()]);
    await upstream?.child.stop();
  }
}
