import type { BacktestDecision, BacktestResult, ChangedRequest } from '../../shared/backtest-api.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';
import type { CaptureQuery } from '../capture/capture-database.js';
import type { CapturedRequest } from '../capture/captured-request.js';
import { createEvaluator } from '../engine/create-evaluator.js';
import type { PolicyEvaluator } from '../engine/evaluator.js';
import { requestFacts } from '../facts/request-facts.js';
import type { FeedbackRecord } from '../feedback/feedback-record.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { BudgetLimits } from '../limits/budget-fact.js';
import { windowStart } from '../limits/budget-window.js';
import { terminalOf } from '../runtime/terminal.js';
import { QualityModel } from './quality-model.js';
import { ReplayCounters } from './replay-counters.js';
import { type RecordedAnswer, type ReplayedDecision, replayRequest } from './replay-request.js';
import { inSample } from './sample.js';
import { SimulatedCache } from './simulated-cache.js';
import { TopChanged } from './top-changed.js';
import { GroupedTotals, type SideOutcome, TotalsAccumulator } from './totals.js';

export interface BacktestInput {
  policy: string;
  candidate: RuleFile;
  /** The rule file of a version that served requests (the live one or one from the history); null when lost. */
  baselineFile: (version: number) => Promise<RuleFile | null>;
  /** The policy's captured requests in the window: every instance's when the runtime reads PostgreSQL, else the local files. */
  captured: (query: CaptureQuery) => AsyncIterable<CapturedRequest>;
  /** The latest feedback per request arrived on or after `from`'s day: every instance's with PostgreSQL, else the local files. */
  feedback: (from: string) => Promise<ReadonlyMap<string, FeedbackRecord>>;
  /** Ledger records in [from, to]: every instance's when the runtime reads PostgreSQL, else the local files. */
  records: (range: { from: string; to: string }) => AsyncIterable<LedgerRecord>;
  pricing: PricingTable;
  limits?: BudgetLimits;
  from: string;
  to: string;
  sample?: number;
  onProgress?: (done: number, total: number) => void;
}

const CHANGED_SHOWN = 20;
const PROGRESS_EVERY = 2000;

export const ASSUMPTIONS = [
  'Baseline is what the ledger booked: the rule, model, cost and cache outcome of each request.',
  'A candidate answer from the same rule and model as the baseline costs what the ledger booked; any other is priced with the pricing table at the tokenizer’s prompt count and the recorded output length (capped by max_tokens; the expected 256 tokens, or max_tokens, when the baseline had no answer).',
  'Budgets replay the window’s spend in time order, starting from what the ledger booked earlier in the day, week and month; rate limits count the replayed requests only.',
  'The exact cache starts empty at the start of the window and uses the runtime’s keys; semantic hits and provider failures are not simulated (every provider is up, the first route target answers).',
  'Quality is the recorded feedback score where the same model answered, else the mean score of the model’s answers in the window; requests with neither are left out of the mean.',
];

interface BaselinePolicy {
  file: RuleFile;
  evaluator: PolicyEvaluator;
  rules: Map<string, Rule>;
}

function recordedAnswer(record: LedgerRecord): RecordedAnswer {
  const outcome = record.cache === 'hit' ? 'cacheHit' : record.servedModel ? 'served' : record.attempts === 0 ? 'refused' : 'failed';
  return { rule: record.rule, model: record.servedModel, outcome, costUsd: record.costUsd, outputTokens: record.outputTokens };
}

async function loadCaptured(input: BacktestInput): Promise<Map<string, CapturedRequest>> {
  const captured = new Map<string, CapturedRequest>();
  for await (const c of input.captured({ policy: input.policy, from: input.from, to: input.to })) {
    if (inSample(c.id, input.sample)) captured.set(c.id, c);
  }
  return captured;
}

/** Every policy's records from the start of the budget windows containing `from` up to `to`, in time order. */
async function loadLedger(input: BacktestInput): Promise<LedgerRecord[]> {
  const fromMs = Date.parse(input.from);
  const seed = new Date(Math.min(windowStart('month', fromMs), windowStart('week', fromMs)));
  const records: LedgerRecord[] = [];
  for await (const record of input.records({ from: seed.toISOString(), to: input.to })) records.push(record);
  return records.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

async function loadBaselines(input: BacktestInput, versions: Set<number>): Promise<Map<number, BaselinePolicy | null>> {
  const out = new Map<number, BaselinePolicy | null>();
  for (const version of versions) {
    const file = await input.baselineFile(version);
    out.set(version, file ? { file, evaluator: createEvaluator(file), rules: new Map(file.rules.map((r) => [r.name, r])) } : null);
  }
  return out;
}

function decisionOf(rule: Rule | undefined | null, side: { model: string | null; costUsd: number; outcome: BacktestDecision['outcome'] }, trace: BacktestDecision['trace']): BacktestDecision {
  return {
    rule: rule?.name ?? null,
    model: side.model,
    costUsd: side.costUsd,
    outcome: side.outcome,
    path: rule?.event.params.path ?? [],
    edges: rule?.event.params.edges ?? [],
    trace,
  };
}

/**
 * Replays the captured requests of a window through a candidate policy and compares with what
 * was served. Calls no provider; reads the capture, the ledger and the feedback files only.
 */
export async function runBacktest(input: BacktestInput): Promise<BacktestResult> {
  const captured = await loadCaptured(input);
  const ledger = await loadLedger(input);
  const quality = new QualityModel(await input.feedback(input.from));
  const fromMs = Date.parse(input.from);
  const replays = ledger.filter((r) => r.policy === input.policy && captured.has(r.id) && Date.parse(r.time) >= fromMs);
  const baselines = await loadBaselines(input, new Set(replays.map((r) => r.policyVersion)));
  const evaluator = createEvaluator(input.candidate);
  const candidateCounters = new ReplayCounters(input.limits);
  const baselineCounters = new ReplayCounters(input.limits);
  const cache = new SimulatedCache();
  const totals = { baseline: new TotalsAccumulator(), candidate: new TotalsAccumulator() };
  const byTeam = new GroupedTotals();
  const byModel = new GroupedTotals();
  const byRule = new GroupedTotals();
  const top = new TopChanged<ChangedRequest>(CHANGED_SHOWN);
  const total = replays.length;
  let done = 0;
  let changedTotal = 0;
  input.onProgress?.(0, total);

  for (const record of ledger) {
    const at = Date.parse(record.time);
    const c = at >= fromMs && record.policy === input.policy ? captured.get(record.id) : undefined;
    if (!c) {
      // Traffic not replayed (earlier in the budget window, other policies, not captured) spends what it spent on both sides.
      candidateCounters.book(record);
      baselineCounters.book(record);
      continue;
    }
    candidateCounters.now = at;
    baselineCounters.now = at;
    const facts = requestFacts(c.request, { caller: c.caller, pricing: input.pricing, now: new Date(c.factsTime) });
    const recorded = recordedAnswer(record);
    const baseline = baselines.get(record.policyVersion) ?? null;
    const baselineRule = record.rule ? baseline?.rules.get(record.rule) : undefined;
    const baseSide: SideOutcome = {
      outcome: recorded.outcome,
      costUsd: record.costUsd,
      degraded: baselineRule ? terminalOf(baselineRule.event.params.actions).type === 'degrade' : false,
      quality: recorded.outcome === 'served' || recorded.outcome === 'cacheHit' ? quality.recorded(record.id) : null,
    };
    const candidate: ReplayedDecision = await replayRequest({ evaluator, request: c.request, facts, counters: candidateCounters, cache, pricing: input.pricing, recorded });
    const candSide: SideOutcome = {
      outcome: candidate.outcome,
      costUsd: candidate.costUsd,
      degraded: candidate.degraded,
      quality: candidate.outcome === 'served' || candidate.outcome === 'cacheHit' ? quality.estimate(record.id, candidate.model, record.servedModel) : null,
    };

    const changed = candidate.rule?.name !== (record.rule ?? undefined) || candidate.model !== record.servedModel || candidate.outcome !== recorded.outcome;
    const delta = candidate.costUsd - record.costUsd;
    if (changed) changedTotal++;
    if (changed && top.admits(Math.abs(delta))) {
      // Traces are taken before either side books this request, so they show the state it was decided in.
      const candidateTrace = (await evaluator.explain(facts, candidateCounters.resolve)).trace;
      const baselineTrace = baseline ? (await baseline.evaluator.explain(facts, baselineCounters.resolve)).trace : [];
      top.add(Math.abs(delta), {
        id: record.id,
        time: record.time,
        tags: record.tags,
        costDeltaUsd: delta,
        baseline: decisionOf(baselineRule, recorded, baselineTrace),
        candidate: decisionOf(candidate.rule, candidate, candidateTrace),
      });
    }

    baselineCounters.book(record);
    if (baselineRule) baselineCounters.count(baselineRule.event.params.actions.filter((a) => a.type === 'countRate'), facts);
    candidateCounters.book({ ...record, costUsd: candidate.costUsd, tags: candidate.tags, servedModel: candidate.model, rule: candidate.rule?.name ?? null });

    totals.baseline.add(baseSide);
    totals.candidate.add(candSide);
    byTeam.add(record.tags.team ?? '', 'baseline', baseSide);
    byTeam.add(candidate.tags.team ?? '', 'candidate', candSide);
    byModel.add(record.servedModel ?? '', 'baseline', baseSide);
    byModel.add(candidate.model ?? '', 'candidate', candSide);
    byRule.add(record.rule ?? '', 'baseline', baseSide);
    byRule.add(candidate.rule?.name ?? '', 'candidate', candSide);

    if (++done % PROGRESS_EVERY === 0) {
      input.onProgress?.(done, total);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  input.onProgress?.(done, total);

  return {
    policy: input.policy,
    candidateVersion: input.candidate.policy.version,
    from: input.from,
    to: input.to,
    captured: captured.size,
    replayed: done,
    baseline: totals.baseline.totals(),
    candidate: totals.candidate.totals(),
    byTeam: byTeam.list(),
    byModel: byModel.list(),
    byRule: byRule.list(),
    changed: top.list(),
    changedTotal,
    assumptions: ASSUMPTIONS,
  };
}
