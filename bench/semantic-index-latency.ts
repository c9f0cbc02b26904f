import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { shippedVerifier } from '../server/cache/pair-verifier.js';
import { inlineMatcher, type SemanticMatcher } from '../server/cache/semantic-matcher.js';
import { workerMatcher } from '../server/cache/semantic-worker-matcher.js';
import { defaultPairsFile, readPairs } from './cache-verifier/pair-split.js';
import { percentile } from './percentiles.js';

/**
 * Semantic lookup latency at scale (npx tsx bench/semantic-index-latency.ts [--entries 100000]
 * [--thread worker|inline] [--pairs FILE]): one partition filled with QQP questions and seeded
 * variations of them (a place or a year appended), then the second questions of the pairs looked
 * up one after another: candidates, verifier, best match. Besides the wall time of each lookup it
 * prints the event-loop time each one costs (eventLoopUtilization), which is what every other
 * request on the runtime waits behind: all of the lookup inline, only the message round trip on
 * the worker.
 */
const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    pairs: { type: 'string', default: defaultPairsFile() },
    thread: { type: 'string', default: 'worker' },
  },
});
const thread = values.thread === 'inline' ? 'inline' : 'worker';
const entries = Number(values.entries);
const pairs = readPairs(values.pairs!);
const questions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
const SUFFIXES = ['in India', 'in 2017', 'for beginners', 'in the US', 'at home', 'as a student', 'in London', 'online', 'for free', 'in Java'];
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

const matcher: SemanticMatcher = thread === 'inline' ? inlineMatcher(shippedVerifier()) : workerMatcher({ deadlineMs: 60_000, bootTimeoutMs: 120_000 });
const started = performance.now();
for (let i = 0; i < entries; i++) {
  const base = questions[i % questions.length]!;
  const text = i < questions.length ? base : `${base.replace(/\?$/, '')} ${SUFFIXES[Math.floor(random() * SUFFIXES.length)]} ${Math.floor(random() * 1000)}?`;
  matcher.add(`k${i}`, 'p', text);
}
const lookups = pairs.slice(0, 3000);
const maxWrongHitRate = 0.2;
// Warm-up lookups also wait until the worker holds every entry.
for (const p of lookups.slice(0, 200)) await matcher.matches({ partition: 'p', text: p.b, maxWrongHitRate });
console.log(`${thread}: indexed ${entries} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const times: number[] = [];
let hits = 0;
const loop = performance.eventLoopUtilization();
for (const p of lookups) {
  const t = performance.now();
  if ((await matcher.matches({ partition: 'p', text: p.b, maxWrongHitRate })).length > 0) hits++;
  times.push(performance.now() - t);
}
const busy = performance.eventLoopUtilization(loop);
await matcher.close();
const ms = (x: number) => Number(x.toFixed(3));
console.log(
  JSON.stringify({
    thread,
    entries,
    lookups: lookups.length,
    hits,
    p50Ms: ms(percentile(times, 50)),
    p99Ms: ms(percentile(times, 99)),
    maxMs: ms(Math.max(...times)),
    eventLoopMsPerLookup: ms(busy.active / lookups.length),
    heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  }),
);
