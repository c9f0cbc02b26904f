/**
 * `npx tsx bench/router/feature-speed.ts`: the learned router's cost per prompt (features and
 * both heads) over the MMLU and GSM8K prompts, after a warm-up. Strings are re-parsed from JSON
 * first, as a request's are, since CSV parsing leaves rope strings that cost extra to read once.
 */
import path from 'node:path';
import { classify } from '../../server/facts/classify.js';
import { ROUTER_WEIGHTS } from '../../server/routing/router-fact.js';
import { routerScore } from '../../server/routing/router-model.js';
import { benchDataDir } from './data-dir.js';
import { loadGsm8k, loadMmluDir } from './routing-data.js';

const data = path.join(benchDataDir(), 'routellm');
const prompts = JSON.parse(JSON.stringify([...loadMmluDir(path.join(data, 'mmlu-train')), ...loadGsm8k(path.join(data, 'gsm8k_responses.csv'))].map((s) => s.prompt))) as string[];
const tasks = prompts.map((p) => classify({ text: p, promptTokens: 0, messageCount: 1, hasTools: false }).taskType);
let sink = 0;
for (let i = 0; i < 2000; i++) sink += routerScore(ROUTER_WEIGHTS, prompts[i % prompts.length]!, tasks[i % prompts.length]!);
const rounds = 3;
const started = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) prompts.forEach((p, i) => (sink += routerScore(ROUTER_WEIGHTS, p, tasks[i]!)));
const micros = Number(process.hrtime.bigint() - started) / 1000 / (rounds * prompts.length);
const chars = prompts.reduce((n, p) => n + p.length, 0) / prompts.length;
console.log(JSON.stringify({ microsPerPrompt: Number(micros.toFixed(1)), prompts: prompts.length, meanChars: Math.round(chars), checksum: Number(sink.toFixed(3)) }));
