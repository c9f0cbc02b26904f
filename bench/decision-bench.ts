import { Engine } from 'json-rules-engine';
import { createEvaluator } from '../server/engine/create-evaluator.js';
import type { RequestFacts } from '../shared/facts.js';
import type { Rule } from '../shared/rule-file.js';
import { DYNAMIC_FACTS } from '../server/engine/dynamic-facts.js';
import { mean, percentile } from './percentiles.js';
import { benchRequests, DYNAMIC_VALUES, fixedResolver, standardRuleSets, type BenchRuleSet } from './rule-sets.js';

export interface Timing {
  p50Us: number;
  p99Us: number;
  meanUs: number;
  samples: number;
}

export interface DecisionResult {
  label: string;
  ruleCount: number;
  conditionCount: number;
  evaluatorMode: 'fast' | 'reference';
  jsonRulesEngine: Timing;
  fastPath: Timing;
  /** Mean of one call from batches of BATCH calls: the figure free of timer overhead. */
  fastPathBatchMeanUs: number;
  speedupP50: number;
}

export interface DecisionBenchReport {
  results: DecisionResult[];
  /** Cost of one hrtime.bigint() pair with nothing between: the floor under per-call fast-path figures. */
  timerOverheadUs: number;
  batch: number;
}

const BATCH = 100;

export interface DecisionBenchOptions {
  /** Wall time spent measuring each evaluator on each rule set. */
  measureMs: number;
  warmupCalls: number;
}

const DEFAULTS: DecisionBenchOptions = { measureMs: 2500, warmupCalls: 2000 };

function toMicros(ns: bigint): number {
  return Number(ns) / 1000;
}

function timing(samplesUs: number[]): Timing {
  return { p50Us: percentile(samplesUs, 50), p99Us: percentile(samplesUs, 99), meanUs: mean(samplesUs), samples: samplesUs.length };
}

/** One Engine per rule file, built once, dynamic facts registered once with the bench's fixed values. */
function jsonRulesEngineFor(rules: Rule[]): Engine {
  const engine = new Engine(rules, { allowUndefinedFacts: true });
  for (const fact of DYNAMIC_FACTS) engine.addFact(fact, () => DYNAMIC_VALUES[fact]);
  return engine;
}

async function jsonRulesEngineDecision(engine: Engine, facts: RequestFacts): Promise<string | null> {
  const { results } = await engine.run({ ...facts });
  let best: { name: string; priority: number } | null = null;
  for (const result of results) {
    const priority = result.priority ?? 1;
    if (!best || priority > best.priority) best = { name: result.name, priority };
  }
  return best?.name ?? null;
}

/** Both must decide alike on every bench request, or the timing compares different work. */
async function checkAgreement(set: BenchRuleSet, engine: Engine, requests: RequestFacts[]): Promise<void> {
  const evaluator = createEvaluator(set.ruleFile);
  for (const facts of requests) {
    const fast = await evaluator.decide(facts, fixedResolver);
    const reference = await jsonRulesEngineDecision(engine, facts);
    if ((fast?.name ?? null) !== reference) {
      throw new Error(`${set.label}: fast path decided ${fast?.name} but json-rules-engine ${reference} for ${JSON.stringify(facts)}`);
    }
  }
}

async function timeJsonRulesEngine(engine: Engine, requests: RequestFacts[], options: DecisionBenchOptions): Promise<Timing> {
  // Bounded by time too: at 100 rules one run takes milliseconds.
  const warmupUntil = performance.now() + options.measureMs / 2;
  for (let i = 0; i < options.warmupCalls && performance.now() < warmupUntil; i++) await engine.run({ ...requests[i % requests.length]! });
  const samples: number[] = [];
  const deadline = performance.now() + options.measureMs;
  for (let i = 0; performance.now() < deadline; i++) {
    const facts = { ...requests[i % requests.length]! };
    const start = process.hrtime.bigint();
    await engine.run(facts);
    samples.push(toMicros(process.hrtime.bigint() - start));
  }
  return timing(samples);
}

function timeFastPath(set: BenchRuleSet, requests: RequestFacts[], options: DecisionBenchOptions): { perCall: Timing; batchMeanUs: number; mode: 'fast' | 'reference' } {
  const evaluator = createEvaluator(set.ruleFile);
  const decide = (facts: RequestFacts): void => {
    const rule = evaluator.decide(facts, fixedResolver);
    // Checking the result also keeps it alive, so the JIT cannot drop the call.
    if (rule instanceof Promise) throw new Error(`${set.label}: the evaluator went async; the fast path did not take this rule file`);
  };
  for (let i = 0; i < options.warmupCalls * 10; i++) decide(requests[i % requests.length]!);

  const perCall: number[] = [];
  let deadline = performance.now() + options.measureMs / 2;
  for (let i = 0; performance.now() < deadline; i++) {
    const facts = requests[i % requests.length]!;
    const start = process.hrtime.bigint();
    decide(facts);
    perCall.push(toMicros(process.hrtime.bigint() - start));
  }

  const batches: number[] = [];
  deadline = performance.now() + options.measureMs / 2;
  for (let b = 0; performance.now() < deadline; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) decide(requests[(b * BATCH + i) % requests.length]!);
    batches.push(toMicros(process.hrtime.bigint() - start) / BATCH);
  }
  return { perCall: timing(perCall), batchMeanUs: mean(batches), mode: evaluator.mode };
}

function timerOverheadUs(): number {
  const samples: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const start = process.hrtime.bigint();
    samples.push(toMicros(process.hrtime.bigint() - start));
  }
  return percentile(samples, 50);
}

/**
 * p50/p99 of one decision on each standard rule set: json-rules-engine's run() against
 * createEvaluator(ruleFile).decide(), over the same requests with the same dynamic fact values.
 */
export async function runDecisionBench(overrides: Partial<DecisionBenchOptions> = {}): Promise<DecisionBenchReport> {
  const options = { ...DEFAULTS, ...overrides };
  const requests = benchRequests();
  const results: DecisionResult[] = [];
  for (const set of standardRuleSets()) {
    const engine = jsonRulesEngineFor(set.ruleFile.rules);
    await checkAgreement(set, engine, requests);
    const jre = await timeJsonRulesEngine(engine, requests, options);
    const fast = timeFastPath(set, requests, options);
    results.push({
      label: set.label,
      ruleCount: set.ruleCount,
      conditionCount: set.conditionCount,
      evaluatorMode: fast.mode,
      jsonRulesEngine: jre,
      fastPath: fast.perCall,
      fastPathBatchMeanUs: fast.batchMeanUs,
      speedupP50: jre.p50Us / fast.perCall.p50Us,
    });
  }
  return { results, timerOverheadUs: timerOverheadUs(), batch: BATCH };
}
