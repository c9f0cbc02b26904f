import type { ChatCompletionRequest } from '../../shared/api.js';
import type { BacktestOutcome } from '../../shared/backtest-api.js';
import { estimateCost } from '../../shared/cost.js';
import type { CacheAction } from '../../shared/decision.js';
import type { RequestFacts } from '../../shared/facts.js';
import { outputTokensAtMost, type PricingTable } from '../../shared/pricing.js';
import type { Rule } from '../../shared/rule-file.js';
import { exactKey } from '../cache/cache-key.js';
import type { PolicyEvaluator } from '../engine/evaluator.js';
import { DEFAULT_EXPECTED_OUTPUT_TOKENS, maxTokensOf } from '../facts/request-facts.js';
import { type ActionPlan, planActions } from '../runtime/plan-actions.js';
import type { ReplayCounters } from './replay-counters.js';
import type { SimulatedCache } from './simulated-cache.js';

/** What was served for the request, as far as replaying another policy needs it. */
export interface RecordedAnswer {
  rule: string | null;
  model: string | null;
  outcome: BacktestOutcome;
  costUsd: number;
  outputTokens: number;
}

export interface ReplayedDecision {
  rule: Rule | null;
  plan: ActionPlan | null;
  outcome: BacktestOutcome;
  /** The model that answers: the route's first target, or the one whose answer the cache holds. */
  model: string | null;
  costUsd: number;
  degraded: boolean;
  tags: Record<string, string>;
  /** The cost is the ledger's, not an estimate: same rule, same model, answered both times. */
  costRecorded: boolean;
}

export interface ReplayRequestOptions {
  evaluator: PolicyEvaluator;
  request: ChatCompletionRequest;
  facts: RequestFacts;
  counters: ReplayCounters;
  cache: SimulatedCache;
  pricing: PricingTable;
  recorded: RecordedAnswer;
}

/**
 * Decides one captured request under a candidate policy the way handleChat would, without a
 * provider: counts its rate limits, looks up and fills the simulated exact cache, and prices the
 * answer. An answer from a different route is priced at the recorded output length.
 */
export async function replayRequest(options: ReplayRequestOptions): Promise<ReplayedDecision> {
  const { facts, counters, cache, recorded } = options;
  const decided = options.evaluator.decide(facts, counters.resolve);
  const rule = decided instanceof Promise ? await decided : decided;
  if (!rule) return { rule, plan: null, outcome: 'refused', model: null, costUsd: 0, degraded: false, tags: facts.tags, costRecorded: false };
  const plan = planActions(rule, { request: options.request, facts });
  counters.count(plan.countRates, facts);
  const { terminal, finish } = plan;
  const base = { rule, plan, degraded: terminal.type === 'degrade', tags: plan.tags, costRecorded: false };
  const model = finish.targets[0]?.model ?? options.request.model;
  const cacheAction: CacheAction | null = plan.cache ?? finish.cacheOnly;
  if (finish.refusal && !finish.cacheOnly) return { ...base, outcome: 'refused', model: null, costUsd: 0 };
  const key = cacheAction ? exactKey(cacheAction, { request: plan.request, model, tags: plan.tags }) : null;
  if (cacheAction && key) {
    const cachedModel = cache.lookup(key, cacheAction.ttlSeconds, counters.now);
    if (cachedModel) return { ...base, outcome: 'cacheHit', model: cachedModel, costUsd: 0 };
  }
  if (finish.refusal) return { ...base, outcome: 'refused', model: null, costUsd: 0 };
  if (cacheAction && key) cache.store(key, model, cacheAction.ttlSeconds, counters.now);

  if (recorded.outcome === 'served' && recorded.model === model && recorded.rule === rule.name) {
    return { ...base, outcome: 'served', model, costUsd: recorded.costUsd, costRecorded: true };
  }
  const price = options.pricing.models[model];
  const inputTokens = plan.trim?.tokensAfter ?? facts.promptTokens;
  const answered = recorded.outcome === 'served' || recorded.outcome === 'cacheHit';
  const cap = maxTokensOf(plan.request);
  const expected = answered ? recorded.outputTokens : cap || DEFAULT_EXPECTED_OUTPUT_TOKENS;
  const outputTokens = outputTokensAtMost(cap > 0 ? Math.min(expected, cap) : expected, price);
  return { ...base, outcome: 'served', model, costUsd: price ? estimateCost({ inputTokens, outputTokens }, price) : 0 };
}
