/**
 * `npx tsx bench/router-signal.ts [--mmlu DIR]`: for each dense feature of the learned router,
 * how it correlates with the strong model's gain inside MMLU subjects and between them. A
 * router generalises to unseen subjects only through signal that holds inside subjects or
 * across many of them; this says how much of that the features carry. It then prints what perfect
 * hindsight would need, per prompt and per whole subject: the second bounds any signal that tells
 * topics apart but not hard questions from easy ones inside a topic.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classify } from '../server/facts/classify.js';
import { DENSE_FEATURES, HASH_DIM, routerFeatures } from '../server/routing/router-features.js';
import { benchDataDir } from './router/data-dir.js';
import { gainSignal } from './router/gain-signal.js';
import { oracleCeilings } from './router/oracle-ceilings.js';
import { loadMmluDir } from './router/routing-data.js';

const { values: args } = parseArgs({ options: { mmlu: { type: 'string', default: path.join(benchDataDir(), 'routellm', 'mmlu-train') } } });
const samples = loadMmluDir(args.mmlu!);
const dense = samples.map((s) => {
  const x = routerFeatures(s.prompt, classify({ text: s.prompt, promptTokens: 0, messageCount: 1, hasTools: false }).taskType);
  return DENSE_FEATURES.map((_, k) => x.values[x.indices.indexOf(HASH_DIM + k)] ?? 0);
});
const gain = (s: (typeof samples)[number]) => (s.strongRight ? 1 : 0) - (s.cheapRight ? 1 : 0);
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
console.log(`## Gain signal: ${samples.length} MMLU prompts, ${new Set(samples.map((s) => s.group)).size} subjects\n`);
console.log('| feature | r inside subjects (mean) | r between subjects | between, largest subject left out |');
console.log('| --- | --- | --- | --- |');
const rows = DENSE_FEATURES.map((name, k) => {
  const signal = gainSignal(samples.map((s, i) => ({ group: s.group, feature: dense[i]![k]!, gain: gain(s) })));
  console.log(`| ${name} | ${f(signal.within)} | ${f(signal.between)} | ${f(signal.betweenWithoutLargest)} |`);
  return { feature: name, ...signal };
});
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log('\n| quality target | to strong, random | knowing each subject\'s gain | knowing each prompt\'s outcomes |');
console.log('| --- | --- | --- | --- |');
const ceilings = [0.9, 0.95].map((target) => {
  const c = oracleCeilings(samples, target);
  console.log(`| ${target * 100}% | ${pct(c.random)} | ${pct(c.perGroup)} | ${pct(c.perPrompt)} |`);
  return c;
});
console.log(JSON.stringify({ subjectOracleAt95: Number(ceilings[1]!.perGroup.toFixed(4)), maxAbsWithin: Math.max(...rows.map((r) => Math.abs(r.within)).filter(Number.isFinite)), prompts: samples.length }));
