import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDecisionBench } from './decision-bench.js';
import { runHttpBench, type HttpBenchOptions } from './http-bench.js';
import { cpuBusyPct, waitForQuiet } from './cpu-busy.js';
import { BUSY_PCT, describeMachine, machineLine } from './machine.js';
import { renderBudgetBench, runBudgetBench } from './budget-bench.js';
import { profileTollgate } from './profile-tollgate.js';
import { httpVerdicts, renderReport, type BenchReport } from './report.js';
import { findBinary } from '../test/support/debian-server.js';
import { REDIS_SERVER } from '../test/support/find-redis.js';
import { renderRedisThroughput, runRedisThroughput } from './redis-throughput.js';

/**
 * `npm run bench [-- flags]`: decision time, then latency/throughput/memory against Portkey,
 * then (when an HTTP target is missed) a CPU profile of Tollgate; one markdown report on
 * stdout, progress on stderr, the raw figures in .bench/results.json.
 *
 * Flags: --quick (short runs, for trying the bench), --decision-only, --http-only,
 * --profile (always profile), --no-profile, --floor (add a bare Node proxy row),
 * --wait-quiet (wait up to 10 minutes for other work on the machine to stop first),
 * --budget (only the budget policy before/after reservations, see budget-bench.ts),
 * --redis (force the Redis rows: one instance's throughput with TOLLGATE_REDIS_URL off and on; they are
 * added by default whenever a redis-server binary is found, and skipped with a note when none is).
 */
const FLAGS = ['--quick', '--decision-only', '--http-only', '--profile', '--no-profile', '--floor', '--wait-quiet', '--budget', '--redis'];
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = new Set(process.argv.slice(2));
const unknown = [...flags].filter((flag) => !FLAGS.includes(flag));
if (unknown.length > 0) {
  process.stderr.write(`unknown flag ${unknown.join(', ')}; known: ${FLAGS.join(' ')}\n`);
  process.exit(2);
}
const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

const QUICK: Partial<HttpBenchOptions> = { rounds: 1, latencyMs: 2000, throughputSeconds: 3, warmupSeconds: 2 };

async function main(): Promise<void> {
  const started = performance.now();
  const busy = flags.has('--wait-quiet') ? await waitForQuiet(BUSY_PCT, 600_000, log) : await cpuBusyPct(1000);
  const report: BenchReport = { machine: describeMachine(busy) };
  if (flags.has('--budget')) {
    const budget = await runBudgetBench(repo, log, flags.has('--quick') ? { rounds: 1, latencyMs: 2000, throughputSeconds: 3, warmupSeconds: 2 } : {});
    process.stdout.write(`Machine: ${machineLine(report.machine)}.\n\n${renderBudgetBench(budget)}`);
    return;
  }
  if (!flags.has('--http-only')) {
    log('decision time: json-rules-engine vs the fast path ...');
    report.decision = await runDecisionBench(flags.has('--quick') ? { measureMs: 800, warmupCalls: 500 } : {});
  }
  if (!flags.has('--decision-only')) {
    log('latency and throughput: direct, Tollgate, Portkey ...');
    const options = { ...(flags.has('--quick') ? QUICK : {}), floor: flags.has('--floor') };
    report.http = await runHttpBench(repo, log, options);
    const missed = httpVerdicts(report.http).some((v) => !v.met);
    if (flags.has('--profile') || (missed && !flags.has('--no-profile'))) {
      log(`${missed ? 'an HTTP target was missed: ' : ''}profiling Tollgate under the same load ...`);
      report.profile = await profileTollgate(repo, report.http.options.connections, report.http.options.throughputSeconds);
    }
  }
  const redisOptions = { seconds: flags.has('--quick') ? 3 : 10, connections: 32 };
  const withRedis = flags.has('--redis') || (!flags.has('--decision-only') && findBinary(REDIS_SERVER) !== null);
  const redisRows = withRedis ? await runRedisThroughput(repo, { ...redisOptions, log }) : null;
  mkdirSync(path.join(repo, '.bench'), { recursive: true });
  writeFileSync(path.join(repo, '.bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(renderReport(report));
  if (redisRows) process.stdout.write(`\n${renderRedisThroughput(redisRows, redisOptions)}`);
  else if (!flags.has('--decision-only')) process.stdout.write('\nRedis on/off throughput: skipped, no redis-server binary found (install redis-server, set TOLLGATE_REDIS_SERVER, or pass --redis to install it).\n');
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
// Stop even if a keep-alive socket is still open; the exit hook kills any child left.
process.exit();
