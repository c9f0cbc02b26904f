/**
 * `npm run bench:replay -- [--mmlu DIR] [--gsm8k FILE] [--policy ID]`: replays recorded prompts
 * (RouteLLM's format: whether Mixtral-8x7B and GPT-4 got each right; ../shared/data/routellm)
 * through a policy's real decision, learned router included, and prints what the routing would
 * cost and how often the answer would be right. A route to a premium model is scored with
 * GPT-4's record, any other with Mixtral's; tokens are counted from the prompt and the recorded
 * answer (one token for MMLU's one-letter answers), priced at the routed model. The last line is
 * one JSON object: accuracy, premiumAccuracy, qualityRatio, costCut, premiumShare, prompts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PRICING } from '../shared/pricing.js';
import { RuleFileSchema } from '../shared/rule-file.js';
import type { RouterFactParams } from '../shared/nodes/smart-route.js';
import type { SplitFactParams } from '../shared/nodes/split.js';
import { createEvaluator } from '../server/engine/create-evaluator.js';
import type { DynamicFactResolver } from '../server/engine/evaluator.js';
import { splitBucket } from '../server/engine/split-bucket.js';
import { requestFacts } from '../server/facts/request-facts.js';
import { routerScoreFact } from '../server/routing/router-fact.js';
import { answerCheckVerdict, strongRouting } from '../server/runtime/answer-check-escalation.js';
import { planActions } from '../server/runtime/plan-actions.js';
import { benchDataDir, REPO } from './router/data-dir.js';
import { parseReplayArgs } from './router/replay-args.js';
import { CHEAP_MODEL, STRONG_MODEL, summarize, tally, type Routed, type Tally } from './router/replay-score.js';
import { loadGsm8k, loadMmluDir, type RoutingSample } from './router/routing-data.js';

const args = parseReplayArgs(process.argv.slice(2), path.join(benchDataDir(), 'routellm'));
const samples: RoutingSample[] = [
  ...(args.mmlu ? loadMmluDir(args.mmlu) : []),
  ...(args.gsm8k ? loadGsm8k(args.gsm8k, args.contaminated) : []),
];
if (samples.length === 0) throw new Error('no prompts to replay');

const ruleFile = RuleFileSchema.parse(JSON.parse(readFileSync(path.join(REPO, 'rules', `${args.policy}.json`), 'utf8')));
const evaluator = createEvaluator(ruleFile);
/** A quiet gateway: nothing spent, nothing limited, every provider up; the router and splits decide for real. */
const STATIC: Record<string, unknown> = { budgetUsedPct: 0, rateLimited: false, providerHealthy: true };
const resolve: DynamicFactResolver = (fact, params, facts) => {
  if (fact === 'routerScore') return routerScoreFact(params as RouterFactParams, facts);
  if (fact === 'splitBucket') return splitBucket(params as SplitFactParams, facts);
  return STATIC[fact];
};
const caller = { tags: {}, serviceKey: 'replay', user: '', tier: '' };
const now = new Date();
/**
 * The model the policy's decision routes to; when that path checks the cheap answer, the
 * recorded cheap answer (GSM8K has them) is checked as the runtime would, and one that fails is
 * decided again on the strong path.
 */
function route(s: RoutingSample): Routed {
  const request = { model: STRONG_MODEL, messages: [{ role: 'user' as const, content: s.prompt }] };
  const facts = requestFacts(request, { caller, pricing: DEFAULT_PRICING, now });
  const modelOn = (decide: DynamicFactResolver) => {
    const rule = evaluator.decide(facts, decide);
    if (!rule || rule instanceof Promise) throw new Error('the replay needs a policy the fast path decides synchronously');
    const plan = planActions(rule, { request, facts });
    return { plan, model: plan.finish.targets[0]?.model ?? STRONG_MODEL };
  };
  const first = modelOn(resolve);
  const verdict = s.cheapAnswer === undefined ? null : answerCheckVerdict(first.plan.checkAnswer, facts, s.cheapAnswer);
  if (!verdict?.escalated) return { model: first.model };
  return { model: modelOn(strongRouting(resolve)).model, earlier: first.model };
}
const routed = tally(samples, route, DEFAULT_PRICING);
const allStrong = tally(samples, () => STRONG_MODEL, DEFAULT_PRICING);
const rows: [string, Tally][] = [
  [`all to ${STRONG_MODEL} (scored as GPT-4)`, allStrong],
  [`all to ${CHEAP_MODEL} (scored as Mixtral)`, tally(samples, () => CHEAP_MODEL, DEFAULT_PRICING)],
  [`policy ${args.policy}`, routed],
];
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
const sources = [args.mmlu && `MMLU ${args.mmlu}`, args.gsm8k && `GSM8K ${args.gsm8k}`].filter(Boolean).join(' + ');
console.log(`## Routing replay: ${samples.length} prompts (${sources})\n`);
console.log('| routing | right | to a premium model | of which after a failed answer check | cost per 1,000 requests |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, t] of rows)
  console.log(`| ${name} | ${pct(t.right, t.requests)} | ${pct(t.premium, t.requests)} | ${pct(t.escalated, t.requests)} | $${((1000 * t.costUsd) / t.requests).toFixed(4)} |`);
console.log(JSON.stringify(summarize(routed, allStrong)));
