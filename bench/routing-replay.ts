/**
 * `npm run bench:replay [-- policy-id]`: replays RouteLLM's 1,319 GSM8K prompts (recorded answers
 * of Mixtral-8x7B and GPT-4, and whether each was right; ../shared/data/routellm) through a
 * policy's decision, and prints what it would cost and how often the answer would be right.
 * A route to a premium model is scored with GPT-4's recorded answer, any other with Mixtral's;
 * tokens are counted from the prompts and recorded answers, priced at the routed model.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateCost } from '../shared/cost.js';
import { DEFAULT_PRICING } from '../shared/pricing.js';
import { RuleFileSchema } from '../shared/rule-file.js';
import { createEvaluator } from '../server/engine/create-evaluator.js';
import { requestFacts } from '../server/facts/request-facts.js';
import { countPromptTokens, countTextTokens } from '../server/facts/tokens.js';
import { finishOf } from '../server/kinds/index.js';
import { terminalOf } from '../server/runtime/terminal.js';
import { parseCsv } from './csv.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = path.resolve(repo, '..', 'shared', 'data', 'routellm');
const policyId = process.argv[2] ?? 'cost-router';
/** Models scored with GPT-4's answers; everything cheaper is scored with Mixtral's. */
const PREMIUM = new Set(['gpt-4o', 'gpt-4.1', 'o3-mini', 'claude-sonnet-4-20250514', 'claude-opus-4-20250514']);

interface Sample {
  prompt: string;
  cheapRight: boolean;
  premiumRight: boolean;
  cheapAnswer: string;
  premiumAnswer: string;
}

function loadSamples(): Sample[] {
  const contaminated = new Set(
    readFileSync(path.join(data, 'gsm8k_contaminated_prompts.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { eval_prompt: string }).eval_prompt.trim()),
  );
  const [header, ...rows] = parseCsv(readFileSync(path.join(data, 'gsm8k_responses.csv'), 'utf8'));
  if (header?.[0] !== 'prompt' || header.length !== 5) throw new Error(`unexpected columns in gsm8k_responses.csv: ${header?.join(', ')}`);
  return rows
    .filter((r) => r.length === 5 && !contaminated.has(r[0]!.trim()))
    .map(([prompt, cheap, premium, cheapAnswer, premiumAnswer]) => ({
      prompt: prompt!,
      cheapRight: cheap === 'True',
      premiumRight: premium === 'True',
      cheapAnswer: cheapAnswer!,
      premiumAnswer: premiumAnswer!,
    }));
}

interface Tally {
  requests: number;
  right: number;
  costUsd: number;
  premium: number;
}

function score(samples: Sample[], pick: (s: Sample) => string): Tally {
  const tally: Tally = { requests: 0, right: 0, costUsd: 0, premium: 0 };
  for (const sample of samples) {
    const model = pick(sample);
    const premium = PREMIUM.has(model);
    const price = DEFAULT_PRICING.models[model];
    if (!price) throw new Error(`${model} has no price`);
    const messages = [{ role: 'user' as const, content: sample.prompt }];
    const answer = premium ? sample.premiumAnswer : sample.cheapAnswer;
    tally.requests++;
    tally.premium += premium ? 1 : 0;
    tally.right += (premium ? sample.premiumRight : sample.cheapRight) ? 1 : 0;
    tally.costUsd += estimateCost({ inputTokens: countPromptTokens(messages), outputTokens: countTextTokens(answer) }, price);
  }
  return tally;
}

const samples = loadSamples();
const ruleFile = RuleFileSchema.parse(JSON.parse(readFileSync(path.join(repo, 'rules', `${policyId}.json`), 'utf8')));
const evaluator = createEvaluator(ruleFile);
const caller = { tags: {}, serviceKey: 'replay', user: '', tier: '' };
const routed = score(samples, (s) => {
  const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: s.prompt }] };
  const facts = requestFacts(request, { caller, pricing: DEFAULT_PRICING, now: new Date() });
  const rule = evaluator.decide(facts, () => 0);
  if (!rule || rule instanceof Promise) throw new Error('the replay needs a policy the fast path decides synchronously');
  return finishOf(terminalOf(rule.event.params.actions), request).targets[0]?.model ?? 'gpt-4o';
});
const rows: [string, Tally][] = [
  ['all to gpt-4o (scored as GPT-4)', score(samples, () => 'gpt-4o')],
  ['all to gpt-4o-mini (scored as Mixtral)', score(samples, () => 'gpt-4o-mini')],
  [`policy ${policyId}`, routed],
];
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
console.log(`## Routing replay: ${samples.length} GSM8K prompts (contaminated ones left out)\n`);
console.log('| routing | right | to a premium model | cost per 1,000 requests |');
console.log('| --- | --- | --- | --- |');
for (const [name, t] of rows) console.log(`| ${name} | ${pct(t.right, t.requests)} | ${pct(t.premium, t.requests)} | $${((1000 * t.costUsd) / t.requests).toFixed(3)} |`);
