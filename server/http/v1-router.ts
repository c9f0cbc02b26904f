import { Router } from 'express';
import { z } from 'zod';
import type { PricingTable } from '../../shared/pricing.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { BatchLane } from '../batch/batch-lane.js';
import { jobView } from '../batch/job-view.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import { FeedbackRequestSchema } from '../../shared/feedback-api.js';
import type { FeedbackLedger } from '../feedback/feedback-ledger.js';
import type { RequestsElsewhere } from '../feedback/find-request.js';
import type { RecentRequests } from '../feedback/recent-requests.js';
import { recordFeedback } from '../feedback/record-feedback.js';
import type { RouterLearner } from '../routing/router-learner.js';
import type { PolicyLookup } from '../runtime/chat-deps.js';
import { explainDecision } from '../runtime/explain-decision.js';
import { callerContext } from './caller-context.js';
import { decisionRequest } from './decision-request.js';
import { RequestApiSchema } from '../../shared/api.js';
import { requestIdOf, responseIdOf } from '../../shared/answer-ids.js';
import { responsesWire } from '../responses/responses-wire.js';
import { inputItemsPage } from '../responses/input-items-page.js';
import type { ResponseStore } from '../responses/response-store.js';
import { InputItemsQuerySchema } from '../../shared/responses-api.js';
import { CountTokensRequestSchema } from '../../shared/messages-api.js';
import { settled } from '../responses/background-turn.js';
import { countMessageTokens, largeMessageTexts } from '../messages/count-tokens.js';
import type { TokenCounter } from '../facts/token-counter.js';
import type { SharedRateAdmission } from '../redis/redis-rate-limiter.js';
import { readingSharedBudgets, type SharedBudgetSource } from '../limits/shared-budget-admission.js';

export interface V1Deps {
  policyFor: PolicyLookup;
  /** Large prompts counted off the event loop before their facts are read. */
  tokens: TokenCounter;
  pricing: PricingTable;
  resolve: DynamicFactResolver;
  /** With Redis: shared rate limits, read (never counted) for a preview. */
  sharedRates?: SharedRateAdmission | undefined;
  /** With Redis: shared budgets, read (never held) for a preview. */
  sharedBudgets?: SharedBudgetSource | undefined;
  recent: RecentRequests;
  feedback: FeedbackLedger;
  /** With PostgreSQL: requests other instances answered, so feedback can reach any instance. */
  requestsElsewhere?: RequestsElsewhere | undefined;
  /** The learned router's online correction, for /v1/decide's explanation. */
  router?: RouterLearner;
  /** Told of each score booked, so the usage rollups' quality follows. */
  onScore?: (requestId: string, score: number) => void;
  batch: BatchLane;
  /** Kept Responses API responses: read, listed and deleted by their owner. */
  responses: ResponseStore;
}

function responseNotFound(id: string): HttpError {
  return new HttpError({
    status: 404,
    message: `No response "${id.slice(0, 64)}": it was not kept (store: false), has expired, or belongs to another service key`,
    type: 'not_found_error',
    field: 'id',
    code: 'response_not_found',
  });
}

/** The /v1 surface besides the answers themselves (served by chat-lane.ts): the decision alone, feedback on an answer, batch jobs, the models list, and Messages token counts. */
export function v1Router(deps: V1Deps): Router {
  const router = Router();

  // ?api=responses, messages or embeddings: the body as that endpoint takes it.
  router.post('/decide', async (req, res) => {
    const api = parseBody(z.object({ api: RequestApiSchema }), req.query, { surface: 'v1' }).api;
    const caller = callerContext(req);
    const decided = await decisionRequest(api, req.body, { surface: 'v1', responses: deps.responses, owner: caller.serviceKey, jobs: (id) => deps.batch.get(id) });
    const policy = deps.policyFor(req.get('x-tollgate-policy'));
    await deps.tokens.precount(decided.largeTexts);
    const now = new Date();
    const facts = decided.facts({ caller, pricing: deps.pricing, now });
    const shared = deps.sharedRates ? await deps.sharedRates.peek({ rules: policy.ruleFile, facts }) : null;
    const budgets = deps.sharedBudgets ? await deps.sharedBudgets.view({ rules: policy.ruleFile, facts, now: now.getTime() }) : null;
    const resolve = shared?.resolve ?? deps.resolve;
    const decision = await explainDecision({
      ruleFile: policy.ruleFile,
      evaluator: policy.evaluator,
      request: decided.request,
      facts,
      servedModel: decided.servedModel,
      caller,
      pricing: deps.pricing,
      resolve: budgets ? readingSharedBudgets(resolve, budgets.book, now.getTime()) : resolve,
      now,
      learner: deps.router,
    });
    res.json(decision);
  });

  // Agents ask this every turn to size their context; no provider is called and nothing is booked.
  router.post('/messages/count_tokens', async (req, res) => {
    const request = parseBody(CountTokensRequestSchema, req.body, { surface: 'v1' });
    await deps.tokens.precount(largeMessageTexts(request));
    res.json({ input_tokens: countMessageTokens(request) });
  });

  router.post('/feedback', async (req, res) => {
    const body = parseBody(FeedbackRequestSchema, req.body, { surface: 'v1' });
    const booked = await recordFeedback({ body, recent: deps.recent, ledger: deps.feedback, now: Date.now(), elsewhere: deps.requestsElsewhere });
    deps.onScore?.(booked.requestId, booked.score);
    res.json(booked);
  });

  // A job is shown only to the service key that sent it; to anyone else it does not exist. A kept
  // background response's job goes with its response: deleted or expired, the job is gone too.
  router.get('/tollgate/jobs/:id', async (req, res) => {
    const owner = callerContext(req).serviceKey;
    const state = deps.batch.get(req.params.id);
    if (!state || state.job.serviceKey !== owner || (state.job.kept && !(await deps.responses.get(responseIdOf(state.job.id), owner)))) {
      throw new HttpError({ status: 404, message: `No batch job "${req.params.id.slice(0, 64)}"`, type: 'not_found_error', field: 'id', code: 'job_not_found' });
    }
    res.json(jobView(state));
  });

  // POST /v1/responses itself is served by the chat lane. A kept response, or a background one
  // (read back from its batch job), is shown to the service key that made it alone.
  router.get('/responses/:id', async (req, res) => {
    const owner = callerContext(req).serviceKey;
    const kept = await deps.responses.get(req.params.id, owner);
    if (kept) {
      res.json(settled(kept, { jobs: (id) => deps.batch.get(id), store: deps.responses }).response);
      return;
    }
    const state = deps.batch.get(requestIdOf(req.params.id));
    // A kept background response that is no longer kept (deleted, expired) is not read back from its job.
    if (!state || state.job.serviceKey !== owner || state.job.kept) throw responseNotFound(req.params.id);
    res.json(responsesWire({}).deferred(state));
  });
  router.get('/responses/:id/input_items', async (req, res) => {
    const query = parseBody(InputItemsQuerySchema, req.query, { surface: 'v1' });
    const kept = await deps.responses.get(req.params.id, callerContext(req).serviceKey);
    if (!kept) throw responseNotFound(req.params.id);
    const page = inputItemsPage(kept.input, query);
    if (!page) throw new HttpError({ status: 400, message: `after: "${query.after!.slice(0, 64)}" is not an input item of this response`, field: 'after', code: 'invalid_value' });
    res.json(page);
  });
  router.delete('/responses/:id', async (req, res) => {
    if (!(await deps.responses.delete(req.params.id, callerContext(req).serviceKey))) throw responseNotFound(req.params.id);
    res.json({ id: req.params.id, object: 'response', deleted: true });
  });
  router.all(['/responses/:id', '/responses/:id/*rest'], (req) => {
    throw new HttpError({
      status: 404,
      message: `${req.method} ${req.path} is not served: a kept response can be read (GET), its input items listed (GET …/input_items) and deleted (DELETE)`,
      type: 'not_found_error',
      code: 'unknown_route',
    });
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
