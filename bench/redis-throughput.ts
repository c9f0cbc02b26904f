import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../shared/compiler/compile.js';
import { serializeRuleFile } from '../shared/rule-file.js';
import { startRedis } from '../test/support/find-redis.js';
import { measureThroughput } from './load-runs.js';
import { startTollgate } from './tollgate-process.js';
import { startUpstream } from './upstream.js';

/**
 * `npx tsx bench/redis-throughput.ts [seconds] [connections]` (or `npm run bench -- --redis`): one Tollgate instance, throughput
 * with TOLLGATE_REDIS_URL off and on, under a policy whose every request passes a rate limit
 * too high to refuse anything: the cost of the shared limit's Redis round trip (one admission
 * script per request) on the request path. Two alternating rounds, the best of each; run it on a
 * quiet machine. It prints a markdown table.
 */
const graph = {
  id: 'shared-gates',
  name: 'Shared gates',
  nodes: [
    { id: 'request', kind: 'request', params: {} },
    { id: 'limit', kind: 'rateLimit', params: { scope: 'serviceKey', rpm: 1_000_000 } },
    { id: 'route', kind: 'route', params: { model: 'gpt-4o-mini' } },
    { id: 'refuse', kind: 'block', params: { status: 429, message: 'limited' } },
  ],
  edges: [
    { id: 'e1', source: 'request', sourceHandle: 'next', target: 'limit' },
    { id: 'e2', source: 'limit', sourceHandle: 'ok', target: 'route' },
    { id: 'e3', source: 'limit', sourceHandle: 'limited', target: 'refuse' },
  ],
};

export interface RedisThroughputRow {
  redis: 'off' | 'on';
  requestsPerSecond: number;
  failures: number;
}

export async function runRedisThroughput(repo: string, options: { seconds: number; connections: number; log: (line: string) => void }): Promise<RedisThroughputRow[]> {
  const rulesDir = mkdtempSync(path.join(tmpdir(), 'tollgate-bench-rules-'));
  const { ruleFile } = compile(graph);
  if (!ruleFile) throw new Error('the bench policy does not compile');
  writeFileSync(path.join(rulesDir, 'shared-gates.json'), serializeRuleFile(ruleFile));
  const upstream = await startUpstream(repo);
  const redis = await startRedis();
  const rows: RedisThroughputRow[] = [];
  try {
    // Alternating rounds, best of each: on a shared machine, load from other work shifts between runs.
    for (const mode of ['off', 'on', 'off', 'on'] as const) {
      const tollgate = await startTollgate(repo, upstream, { rulesDir, defaultPolicy: 'shared-gates', env: mode === 'on' ? { TOLLGATE_REDIS_URL: redis.url } : {} });
      try {
        await measureThroughput(tollgate.target, options.connections, 2);
        const run = await measureThroughput(tollgate.target, options.connections, options.seconds);
        const best = rows.find((r) => r.redis === mode);
        if (!best) rows.push({ redis: mode, requestsPerSecond: run.requestsPerSecond, failures: run.failures });
        else if (run.requestsPerSecond > best.requestsPerSecond) Object.assign(best, { requestsPerSecond: run.requestsPerSecond, failures: run.failures });
        options.log(`redis ${mode}: ${run.requestsPerSecond.toFixed(0)} req/s`);
      } finally {
        await tollgate.stop();
      }
    }
  } finally {
    await redis.stop();
    await upstream.child.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  }
  return rows;
}

export function renderRedisThroughput(rows: readonly RedisThroughputRow[], options: { seconds: number; connections: number }): string {
  const lines = rows.map((r) => `| Redis ${r.redis} | ${r.requestsPerSecond.toFixed(0)} | ${r.failures} |`);
  return `| one instance, ${options.connections} connections, ${options.seconds} s, rate-limited policy | req/s | failures |\n|---|---|---|\n${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const options = { seconds: Number(process.argv[2] ?? 10), connections: Number(process.argv[3] ?? 32) };
  const rows = await runRedisThroughput(repo, { ...options, log: (line) => process.stderr.write(`[bench] ${line}\n`) });
  process.stdout.write(renderRedisThroughput(rows, options));
}
