import { Router } from 'express';
import { ChatCompletionRequestSchema } from '../../shared/api.js';
import { FeedbackRequestSchema } from '../../shared/feedback-api.js';
import { recordFeedback } from '../feedback/record-feedback.js';
import { callerContext } from '../http/caller-context.js';
import { parseOrThrow } from '../http/openai-error.js';
import { explainDecision } from './explain-decision.js';
import type { Runtime } from './runtime.js';

/** The OpenAI-compatible surface besides chat completions (served by server/http/chat-lane.ts): the decision alone, feedback on an answer, and the models list. */
export function v1Router(rt: Runtime): Router {
  const router = Router();

  router.post('/decide', async (req, res) => {
    const request = parseOrThrow(ChatCompletionRequestSchema, req.body);
    const policy = rt.policyFor(req.get('x-tollgate-policy'));
    const decision = await explainDecision({
      ruleFile: policy.ruleFile,
      evaluator: policy.evaluator,
      request,
      caller: callerContext(req),
      pricing: rt.pricing,
      resolve: rt.resolve,
      now: new Date(),
    });
    res.json(decision);
  });

  router.post('/feedback', async (req, res) => {
    const body = parseOrThrow(FeedbackRequestSchema, req.body);
    res.json(await recordFeedback({ body, recent: rt.state.recent, ledger: rt.state.feedback, now: Date.now() }));
  });

  router.get('/models', (_req, res) => {
    const created = Math.floor(Date.parse(rt.pricing.asOf) / 1000) || 0;
    res.json({
      object: 'list',
      data: Object.entries(rt.pricing.models).map(([id, price]) => ({ id, object: 'model', created, owned_by: price.provider })),
    });
  });

  return router;
}
