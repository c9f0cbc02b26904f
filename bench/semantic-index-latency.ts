import { parseArgs } from 'node:util';
import { shippedVerifier } from '../server/cache/pair-verifier.js';
import { SemanticIndex } from '../server/cache/semantic-index.js';
import { defaultPairsFile, readPairs } from './cache-verifier/pair-split.js';
import { percentile } from './percentiles.js';

/**
 * Semantic lookup latency at scale (npx tsx bench/semantic-index-latency.ts [--entries 100000]):
 * one partition filled with QQP questions and seeded variations of them (a place or a year
 * appended), then the second questions of the pairs looked up: candidates, verifier, best match.
 */
const { values } = parseArgs({ options: { entries: { type: 'string', default: '100000' }, pairs: { type: 'string', default: defaultPairsFile() } } });
const entries = Number(values.entries);
const pairs = readPairs(values.pairs!);
const questions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
const SUFFIXES = ['in India', 'in 2017', 'for beginners', 'in the US', 'at home', 'as a student', 'in London', 'online', 'for free', 'in Java'];
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

const index = new SemanticIndex(shippedVerifier());
const threshold = shippedVerifier().thresholdFor(0.2);
const started = performance.now();
for (let i = 0; i < entries; i++) {
  const base = questions[i % questions.length]!;
  const text = i < questions.length ? base : `${base.replace(/\?$/, '')} ${SUFFIXES[Math.floor(random() * SUFFIXES.length)]} ${Math.floor(random() * 1000)}?`;
  index.add(`k${i}`, 'p', text);
}
console.log(`indexed ${entries} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const times: number[] = [];
/** CPU time of this process per lookup: wall time on a shared 2-core machine mostly measures the neighbours. */
const cpuTimes: number[] = [];
let hits = 0;
const lookups = pairs.slice(0, 3000);
for (const p of lookups.slice(0, 200)) index.match({ partition: 'p', text: p.b, threshold });
for (const p of lookups) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  if (index.match({ partition: 'p', text: p.b, threshold })) hits++;
  times.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
}
const ms = (x: number) => Number(x.toFixed(3));
console.log(JSON.stringify({ entries, lookups: lookups.length, hits, p50Ms: ms(percentile(times, 50)), p99Ms: ms(percentile(times, 99)), maxMs: ms(Math.max(...times)), cpuP50Ms: ms(percentile(cpuTimes, 50)), cpuP99Ms: ms(percentile(cpuTimes, 99)), heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }));
