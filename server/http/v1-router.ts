import { Router } from 'express';
import { ChatCompletionRequestSchema } from '../../shared/api.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { BatchLane } from '../batch/batch-lane.js';
import { jobView } from '../batch/job-view.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import { FeedbackRequestSchema } from '../../shared/feedback-api.js';
import type { FeedbackLedger } from '../feedback/feedback-ledger.js';
import type { RecentRequests } from '../feedback/recent-requests.js';
import { recordFeedback } from '../feedback/record-feedback.js';
import type { PolicyLookup } from '../runtime/chat-deps.js';
import { explainDecision } from '../runtime/explain-decision.js';
import { callerContext } from './caller-context.js';

export interface V1Deps {
  policyFor: PolicyLookup;
  pricing: PricingTable;
  resolve: DynamicFactResolver;
  recent: RecentRequests;
  feedback: FeedbackLedger;
  batch: BatchLane;
}

/** The OpenAI-compatible surface besides chat completions (served by chat-lane.ts): the decision alone, feedback on an answer, batch jobs, and the models list. */
export function v1Router(deps: V1Deps): Router {
  const router = Router();

  router.post('/decide', async (req, res) => {
    const request = parseBody(ChatCompletionRequestSchema, req.body, { surface: 'v1' });
    const policy = deps.policyFor(req.get('x-tollgate-policy'));
    const decision = await explainDecision({
      ruleFile: policy.ruleFile,
      evaluator: policy.evaluator,
      request,
      caller: callerContext(req),
      pricing: deps.pricing,
      resolve: deps.resolve,
      now: new Date(),
    });
    res.json(decision);
  });

  router.post('/feedback', async (req, res) => {
    const body = parseBody(FeedbackRequestSchema, req.body, { surface: 'v1' });
    res.json(await recordFeedback({ body, recent: deps.recent, ledger: deps.feedback, now: Date.now() }));
  });

  // A job is shown only to the service key that sent it; to anyone else it does not exist.
  router.get('/tollgate/jobs/:id', (req, res) => {
    const state = deps.batch.get(req.params.id);
    if (!state || state.job.serviceKey !== callerContext(req).serviceKey) {
      throw new HttpError({ status: 404, message: `No batch job "${req.params.id.slice(0, 64)}"`, type: 'not_found_error', field: 'id', code: 'job_not_found' });
    }
    res.json(jobView(state));
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
