import type { CallerContext } from '../facts/request-facts.js';
import { DEFAULT_EXPECTED_OUTPUT_TOKENS, requestFacts } from '../facts/request-facts.js';
import type { ChatCompletionRequest, DecideResponse } from '../../shared/api.js';
import { estimateCost } from '../../shared/cost.js';
import { outputTokensAtMost, type PricingTable } from '../../shared/pricing.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { RuleFile } from '../../shared/rule-file.js';
import type { DynamicFactResolver, PolicyEvaluator } from '../engine/evaluator.js';
import { dynamicFactsUsed } from '../engine/dynamic-facts.js';
import { promptTextOf } from '../facts/prompt-text.js';
import { explainRouterScore } from '../routing/router-explain.js';
import { routerConditions } from '../routing/router-decision.js';
import { promptShape } from '../routing/router-features.js';
import type { RouterLearner } from '../routing/router-learner.js';
import { pointKey } from '../routing/router-ref.js';
import { RouterFactParamsSchema, type RouterFactParams } from '../../shared/nodes/smart-route.js';
import type { RouterAdjustment } from '../../shared/router-state-api.js';
import { finishOf } from '../kinds/index.js';
import { terminalOf } from './terminal.js';

export interface ExplainInput {
  ruleFile: RuleFile;
  evaluator: PolicyEvaluator;
  request: ChatCompletionRequest;
  /** The request's static facts, when already derived (an embeddings call's are its own); else derived from `request`. */
  facts?: RequestFacts | undefined;
  /** The model that answers whatever the route names (an embeddings call's own). */
  servedModel?: string | undefined;
  caller: CallerContext;
  pricing: PricingTable;
  resolve: DynamicFactResolver;
  now: Date;
  /** The learned router's online correction, shown beside the score when given. */
  learner?: RouterLearner | undefined;
}

/** The decision for one request without calling a provider: what /v1/decide and the simulator show. */
export async function explainDecision(input: ExplainInput): Promise<DecideResponse> {
  const { ruleFile, evaluator, request, pricing } = input;
  const facts = input.facts ?? requestFacts(request, { caller: input.caller, pricing, now: input.now });
  const { match, trace } = await evaluator.explain(facts, input.resolve);
  const router = dynamicFactsUsed(ruleFile).has('routerScore') ? explainRouterScore(promptTextOf(facts), facts.taskType) : undefined;
  if (router && input.learner) router.online = onlineAdjustments({ ruleFile, learner: input.learner, text: promptTextOf(facts), taskType: facts.taskType, now: input.now.getTime() });
  const base = { policy: ruleFile.policy.id, version: ruleFile.policy.version, facts, trace, ...(router ? { router } : {}) };
  if (!match) return { ...base, rule: null, actions: [], model: null, provider: null, estimatedCostUsd: 0, path: [], edges: [] };
  const { actions, path, edges } = match.event.params;
  const routed = finishOf(terminalOf(actions), request).targets[0];
  const first = routed && input.servedModel ? { ...routed, model: input.servedModel, provider: 'auto' as const } : routed;
  const price = first ? pricing.models[first.model] : undefined;
  const outputTokens = outputTokensAtMost(facts.maxTokens || DEFAULT_EXPECTED_OUTPUT_TOKENS, price);
  return {
    ...base,
    rule: match.name,
    actions,
    model: first?.model ?? null,
    provider: first ? (first.provider === 'auto' ? (price?.provider ?? 'openai') : first.provider) : null,
    estimatedCostUsd: price ? estimateCost({ inputTokens: facts.promptTokens, outputTokens }, price) : 0,
    path,
    edges,
  };
}

/** The correction in effect for this prompt at each operating point the policy's learned routers compiled to. */
function onlineAdjustments(o: { ruleFile: RuleFile; learner: RouterLearner; text: string; taskType: RequestFacts['taskType']; now: number }): RouterAdjustment[] {
  const points = new Map<string, RouterFactParams>();
  for (const rule of o.ruleFile.rules) {
    for (const condition of routerConditions(rule.conditions)) {
      const params = RouterFactParamsSchema.safeParse(condition.params);
      if (params.success) points.set(pointKey(params.data), params.data);
    }
  }
  const shape = promptShape(o.text);
  return [...points.values()].map((params) => o.learner.adjustment({ params, shape, taskType: o.taskType, now: o.now }));
}
