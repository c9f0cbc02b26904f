/**
 * The per-request cost of access control on /v1: the Host check, the service-key check (HMAC
 * + Map lookup among many live keys), binding the key's tags and policy, and reading the
 * caller context. In process, no HTTP, so the figure is the added CPU alone.
 *
 *   npx tsx bench/key-check.ts [--keys 1000] [--requests 200000]
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callerContext } from '../server/http/caller-context.js';
import { KeyStore } from '../server/keys/key-store.js';
import { hashKey } from '../server/keys/key-token.js';
import { allowedHostSet } from '../server/security/allowed-hosts.js';
import { guardRequests } from '../server/security/request-guard.js';
import { percentile } from './percentiles.js';

const { values } = parseArgs({ options: { keys: { type: 'string', default: '1000' }, requests: { type: 'string', default: '200000' } } });
const KEY_COUNT = Number(values.keys);
const REQUESTS = Number(values.requests);
const BATCH = 1000;

const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-key-bench-'));
const store = await KeyStore.open(dir, { TOLLGATE_KEY_SECRET: 'bench-secret-0123456789' });
const secrets: string[] = [];
for (let i = 0; i < KEY_COUNT; i++) {
  const { key } = await store.create({ name: `svc ${i}`, tags: { team: `team${i % 20}`, env: 'prod' }, policy: i % 2 ? 'cost-router' : null });
  secrets.push(key);
}

let sink = 0;
const refused: ServerResponse = {
  writeHead: () => {
    throw new Error('a valid key was refused');
  },
} as unknown as ServerResponse;
const guard = guardRequests({ allowedHosts: allowedHostSet(''), keys: store, requireKeys: true }, (req) => {
  sink += callerContext(req).serviceKey.length;
});

function requests(count: number, withKey: boolean): IncomingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    url: '/v1/chat/completions',
    method: 'POST',
    headers: {
      host: '127.0.0.1:8787',
      'content-type': 'application/json',
      'x-tollgate-tags': 'team=claimed,feature=chat',
      ...(withKey ? { authorization: `Bearer ${secrets[i % secrets.length]}` } : {}),
    },
  })) as unknown as IncomingMessage[];
}

/** µs per request over batches of BATCH; a fresh request object each time, as the server sees. */
function measure(run: (req: IncomingMessage) => void, withKey: boolean): { meanUs: number; p50Us: number; p99Us: number } {
  const batches: number[] = [];
  for (let done = 0; done < REQUESTS; done += BATCH) {
    const reqs = requests(BATCH, withKey);
    const start = process.hrtime.bigint();
    for (const req of reqs) run(req);
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / BATCH);
  }
  const sorted = [...batches].sort((a, b) => a - b);
  return { meanUs: batches.reduce((a, b) => a + b, 0) / batches.length, p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99) };
}

const withKeys = (req: IncomingMessage) => guard(req, refused);
const baseline = (req: IncomingMessage) => {
  sink += callerContext(req).serviceKey.length;
};
// Warm-up so both paths are optimised before timing.
measure(withKeys, true);
measure(baseline, false);
const before = measure(baseline, false);
const after = measure(withKeys, true);
const secret = Buffer.from('bench-secret-0123456789');
const hmac = measure((req) => {
  sink += hashKey(secret, req.headers.authorization!.slice(7)).length;
}, true);
await rm(dir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(2);
console.log(`key check, ${KEY_COUNT} live keys, ${REQUESTS} requests in batches of ${BATCH} (µs per request)`);
console.log('| path | mean | p50 batch | p99 batch |');
console.log('|---|---|---|---|');
console.log(`| caller context only (no keys) | ${f(before.meanUs)} | ${f(before.p50Us)} | ${f(before.p99Us)} |`);
console.log(`| Host + key check + tag/policy binding + caller context | ${f(after.meanUs)} | ${f(after.p50Us)} | ${f(after.p99Us)} |`);
console.log(`| HMAC-SHA256 alone (paid once per key, then cached) | ${f(hmac.meanUs)} | ${f(hmac.p50Us)} | ${f(hmac.p99Us)} |`);
console.log(`added: ${f(after.meanUs - before.meanUs)} µs per request (mean); checksum ${sink}`);
