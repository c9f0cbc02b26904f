import { createRequire } from 'node:module';
import path from 'node:path';
import { CHAT_BODY, type Target } from './chat-request.js';
import { runToEnd } from './child-processes.js';
import type { LatencySummary } from './latency-client.js';

export interface ThroughputSummary {
  requestsPerSecond: number;
  ok: number;
  /** Non-2xx answers, socket errors and timeouts together. */
  failures: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

const autocannonBin = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');

/** Sequential requests on one connection, timed to the microsecond by bench/latency-client.ts in its own process. */
export async function measureLatency(repo: string, target: Target, durationMs: number, warmupMs: number): Promise<LatencySummary> {
  const stdout = await runToEnd(
    `latency client → ${target.name}`,
    process.execPath,
    ['--import', 'tsx', path.join(repo, 'bench/latency-client.ts'), target.url, String(durationMs), String(warmupMs), JSON.stringify(target.headers), CHAT_BODY],
    { cwd: repo, timeoutMs: durationMs + warmupMs + 30_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as LatencySummary;
}

/** autocannon in its own process, `connections` keep-alive connections for `seconds`. */
export async function measureThroughput(target: Target, connections: number, seconds: number): Promise<ThroughputSummary> {
  const headerArgs = Object.entries(target.headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const stdout = await runToEnd(
    `autocannon → ${target.name}`,
    process.execPath,
    [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST', ...headerArgs, '-b', CHAT_BODY, target.url],
    { timeoutMs: seconds * 1000 + 30_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as AutocannonResult;
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    ok: result['2xx'],
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
