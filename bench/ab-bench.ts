import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLatency, measureThroughput } from './load-runs.js';
import { median } from './percentiles.js';
import { cpuTimeMs } from './proc-status.js';
import { checkTollgateRoutesToUpstream, startTollgate, type TollgateProcess } from './tollgate-process.js';
import { startUpstream } from './upstream.js';

/**
 * `npx tsx bench/ab-bench.ts <other checkout> [rounds]`: this checkout's Tollgate against another's
 * (a `git worktree` or clone at an older commit, with its node_modules), both on one upstream,
 * in alternating rounds of throughput (32 connections, 4 s) and latency (1 connection, 2.5 s).
 * One quick bench run each is within this machine's noise (±25% between runs of the same
 * commit); alternating rounds on one upstream put both under the same noise, and the medians
 * say which is faster. Prints a line a round and a JSON line of medians last.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [otherArg, roundsArg] = process.argv.slice(2);
if (!otherArg) {
  process.stderr.write('usage: npx tsx bench/ab-bench.ts <other checkout> [rounds=8]\n');
  process.exit(2);
}
const other = path.resolve(otherArg);
const rounds = Number(roundsArg ?? 8);

interface Side {
  name: 'this' | 'other';
  tollgate: TollgateProcess;
  rps: number[];
  cpuUs: number[];
  p50Us: number[];
}

const upstream = await startUpstream(repo);
const sides: Side[] = [];
try {
  for (const [name, dir] of [['this', repo], ['other', other]] as const) {
    const tollgate = await startTollgate(dir, upstream);
    sides.push({ name, tollgate, rps: [], cpuUs: [], p50Us: [] });
    await checkTollgateRoutesToUpstream(tollgate.target, upstream);
    await measureThroughput(tollgate.target, 32, 6);
    await measureLatency(repo, tollgate.target, 1500, 0);
  }
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const { target } = side.tollgate;
      const before = cpuTimeMs(target.pid!);
      const run = await measureThroughput(target, 32, 4);
      side.rps.push(Math.round(run.requestsPerSecond));
      side.cpuUs.push(Math.round((1000 * (cpuTimeMs(target.pid!) - before)) / run.ok));
      side.p50Us.push(Math.round((await measureLatency(repo, target, 2500, 300)).p50Us));
    }
    process.stderr.write(`round ${round + 1}/${rounds}: ${sides.map((s) => `${s.name} ${s.rps.at(-1)} req/s, ${s.cpuUs.at(-1)} CPU µs/req, p50 ${s.p50Us.at(-1)} µs`).join('; ')}\n`);
  }
  const summary = Object.fromEntries(sides.map((s) => [s.name, { requestsPerSecond: median(s.rps), cpuUsPerRequest: median(s.cpuUs), latencyP50Us: median(s.p50Us) }]));
  process.stdout.write(`${JSON.stringify({ rounds, otherCheckout: other, ...summary })}\n`);
} finally {
  for (const side of sides) await side.tollgate.stop();
  await upstream.child.stop();
}
