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
 * `npx tsx bench/redis-throughput.ts [seconds] [connections]`: one Tollgate instance, throughput
 * with TOLLGATE_REDIS_URL off and on, under a policy whose every request passes a rate limit
 * too high to refuse anything: the cost of the shared limit's Redis round trip (one admission
 * script per request) on the request path. Run it on a quiet machine; it prints a markdown table.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);

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

const rulesDir = mkdtempSync(path.join(tmpdir(), 'tollgate-bench-rules-'));
const { ruleFile } = compile(graph);
if (!ruleFile) throw new Error('the bench policy does not compile');
writeFileSync(path.join(rulesDir, 'shared-gates.json'), serializeRuleFile(ruleFile));

const upstream = await startUpstream(repo);
const redis = await startRedis();
const rows: string[] = [];
try {
  for (const mode of ['off', 'on'] as const) {
    const tollgate = await startTollgate(repo, upstream, { rulesDir, defaultPolicy: 'shared-gates', env: mode === 'on' ? { TOLLGATE_REDIS_URL: redis.url } : {} });
    try {
      await measureThroughput(tollgate.target, connections, 2);
      const run = await measureThroughput(tollgate.target, connections, seconds);
      rows.push(`| Redis ${mode} | ${run.requestsPerSecond.toFixed(0)} | ${run.failures} |`);
      process.stderr.write(`[bench] redis ${mode}: ${run.requestsPerSecond.toFixed(0)} req/s\n`);
    } finally {
      await tollgate.stop();
    }
  }
} finally {
  await redis.stop();
  await upstream.child.stop();
  rmSync(rulesDir, { recursive: true, force: true });
}
process.stdout.write(`| one instance, ${connections} connections, ${seconds} s, rate-limited policy | req/s | failures |\n|---|---|---|\n${rows.join('\n')}\n`);
