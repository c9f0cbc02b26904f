import { Router } from 'express';
import { ChatCompletionRequestSchema } from '../../shared/api.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { parseBody } from '../errors/parse-body.js';
import { FeedbackRequestSchema } from '../../shared/feedback-api.js';
import type { FeedbackLedger } from '../feedback/feedback-ledger.js';
import type { RecentRequests } from '../feedback/recent-requests.js';
import { recordFeedback } from '../feedback/record-feedback.js';
import type { RouterLearner } from '../routing/router-learner.js';
import type { PolicyLookup } from '../runtime/chat-deps.js';
import { explainDecision } from '../runtime/explain-decision.js';
import { callerContext } from './caller-context.js';
import { requestFacts } from '../facts/request-facts.js';
import type { SharedRateAdmission } from '../redis/redis-rate-limiter.js';

export interface V1Deps {
  policyFor: PolicyLookup;
  pricing: PricingTable;
  resolve: DynamicFactResolver;
  /** With Redis: shared rate limits, read (never counted) for a preview. */
  sharedRates?: SharedRateAdmission | undefined;
  recent: RecentRequests;
  feedback: FeedbackLedger;
  /** The learned router's online correction, for /v1/decide's explanation. */
  router?: RouterLearner;
  /** Told of each score booked, so the usage rollups' quality follows. */
  onScore?: (requestId: string, score: number) => void;
}

/** The OpenAI-compatible surface besides chat completions (served by chat-lane.ts): the decision alone, feedback on an answer, and the models list. */
export function v1Router(deps: V1Deps): Router {
  const router = Router();

  router.post('/decide', async (req, res) => {
    const request = parseBody(ChatCompletionRequestSchema, req.body, { surface: 'v1' });
    const policy = deps.policyFor(req.get('x-tollgate-policy'));
    const caller = callerContext(req);
    const now = new Date();
    const shared = deps.sharedRates ? await deps.sharedRates.peek({ rules: policy.ruleFile, facts: requestFacts(request, { caller, pricing: deps.pricing, now }) }) : null;
    const decision = await explainDecision({
      ruleFile: policy.ruleFile,
      evaluator: policy.evaluator,
      request,
      caller,
      pricing: deps.pricing,
      resolve: shared?.resolve ?? deps.resolve,
      now,
      learner: deps.router,
    });
    res.json(decision);
  });

  router.post('/feedback', async (req, res) => {
    const body = parseBody(FeedbackRequestSchema, req.body, { surface: 'v1' });
    const booked = await recordFeedback({ body, recent: deps.recent, ledger: deps.feedback, now: Date.now() });
    deps.onScore?.(booked.requestId, booked.score);
    res.json(booked);
  });

  router.get('/models', (_req, res) => {
    const created = Math.floor(Date.parse(deps.pricing.asOf) / 1000) || 0;
    res.json({
      object: 'list',
      data: Object.entries(deps.pricing.models).map(([id, price]) => ({ id, object: 'model', created, owned_by: price.provider })),
    });
  });

  return router;
}
