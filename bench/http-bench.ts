import { CHAT_PATH, type Target } from './chat-request.js';
import { cpuSnapshot, otherWorkPct } from './cpu-busy.js';
import type { LatencySummary } from './latency-client.js';
import { measureLatency, measureThroughput, type ThroughputSummary } from './load-runs.js';
import { median } from './percentiles.js';
import { cpuTimeMs, peakRssMiB } from './proc-status.js';
import { checkPortkeyRoutesToUpstream, ensurePortkey, startPortkey } from './portkey-process.js';
import { checkTollgateRoutesToUpstream, startTollgate } from './tollgate-process.js';
import { startBareProxy, startUpstream, type Upstream } from './upstream.js';

export interface HttpBenchOptions {
  rounds: number;
  latencyMs: number;
  latencyWarmupMs: number;
  connections: number;
  throughputSeconds: number;
  /** Per target before the rounds, at both loads, so every process is JIT-warm and pooled. */
  warmupSeconds: number;
  /** Adds a bare node:http + undici proxy: the floor any Node gateway starts from. */
  floor: boolean;
}

export const HTTP_DEFAULTS: HttpBenchOptions = {
  rounds: 3,
  latencyMs: 3000,
  latencyWarmupMs: 500,
  connections: 32,
  throughputSeconds: 5,
  warmupSeconds: 8,
  floor: false,
};

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
  bareProxy: TargetFigures | null;
  tollgate: TargetFigures;
  portkey: TargetFigures;
  /** The x-tollgate-* headers of the check request: proof of the path measured. */
  tollgateHeaders: Record<string, string>;
  upstreamServed: number;
  /** Share of the cores that processes outside the bench used during the runs: the noise on every figure. */
  otherWorkPct: number | null;
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

function runLog(all: Samples[], round: number, rounds: number): string {
  const parts = all.map((s) => `${s.target.name} p50 ${s.latency.at(-1)!.p50Us.toFixed(0)} µs, ${s.throughput.at(-1)!.requestsPerSecond.toFixed(0)} req/s`);
  return `round ${round + 1}/${rounds}: ${parts.join('; ')}`;
}

/** Every client answer must have come from the upstream: no gateway may answer from a cache or a simulator here. */
function checkUpstreamServedAll(served: number, all: TargetFigures[]): void {
  const answered = all.reduce(
    (n, f) => n + f.throughputRounds.reduce((m, t) => m + t.ok, 0) + f.latencyRounds.reduce((m, l) => m + l.requests - l.failures, 0),
    0,
  );
  if (served < answered) throw new Error(`the upstream served ${served} completions but the clients got ${answered} answers: something answered without calling it`);
}

async function measureRounds(repo: string, all: Samples[], options: HttpBenchOptions, log: (line: string) => void): Promise<void> {
  // Tollgate's throughput was seen to climb for 10-20 s after start, so warm-up is long.
  log(`warm-up: ${options.warmupSeconds} s at ${options.connections} connections and ${options.warmupSeconds / 2} s at 1 connection per target`);
  for (const { target } of all) {
    await measureThroughput(target, options.connections, options.warmupSeconds);
    await measureLatency(repo, target, (options.warmupSeconds / 2) * 1000, 0);
  }
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
    log(runLog(all, round, options.rounds));
  }
}

/**
 * Latency at one connection and throughput at `connections`, straight to a loopback upstream,
 * through Tollgate and through Portkey's gateway (and with `floor`, through a bare Node proxy),
 * in alternating rounds; medians reported.
 */
export async function runHttpBench(repo: string, log: (line: string) => void, overrides: Partial<HttpBenchOptions> = {}): Promise<HttpBenchReport> {
  const options = { ...HTTP_DEFAULTS, ...overrides };
  const portkeyEntry = await ensurePortkey(repo, log);
  const children: { stop(): Promise<void> }[] = [];
  let upstream: Upstream | undefined;
  try {
    upstream = await startUpstream(repo);
    const tollgate = await startTollgate(repo, upstream);
    children.push(tollgate);
    const portkey = await startPortkey(repo, portkeyEntry, upstream);
    children.push(portkey.child);
    const tollgateHeaders = await checkTollgateRoutesToUpstream(tollgate.target, upstream);
    await checkPortkeyRoutesToUpstream(portkey.target, upstream);
    const headers = { ...tollgate.target.headers };
    const targets: Target[] = [{ name: 'direct', url: `${upstream.baseUrl}/chat/completions`, headers, pid: upstream.child.pid }];
    if (options.floor) {
      const bare = await startBareProxy(repo, upstream);
      children.push(bare.child);
      targets.push({ name: 'bare-proxy', url: `${bare.url}${CHAT_PATH}`, headers, pid: bare.child.pid });
    }
    targets.push(tollgate.target, portkey.target);

    const livePids = targets.flatMap((t) => (t.pid === undefined ? [] : [t.pid]));
    const before = cpuSnapshot(livePids);
    const all: Samples[] = targets.map((target) => ({ target, latency: [], throughput: [], cpuMs: 0 }));
    await measureRounds(repo, all, options, log);
    const otherWork = otherWorkPct(before, cpuSnapshot(livePids));

    const byName = new Map(all.map((samples) => [samples.target.name, figures(samples)]));
    checkUpstreamServedAll(await upstream.served(), [...byName.values()]);
    return {
      options,
      direct: byName.get('direct')!,
      bareProxy: byName.get('bare-proxy') ?? null,
      tollgate: byName.get('tollgate')!,
      portkey: byName.get('portkey')!,
      tollgateHeaders,
      upstreamServed: await upstream.served(),
      otherWorkPct: otherWork,
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await upstream?.child.stop();
  }
}
