import { Router } from 'express';
import { z } from 'zod';
import type { ImportResponse } from '../../shared/api.js';
import { GraphBodySchema, ImportBodySchema, RequestApiSchema } from '../../shared/api.js';
import { compile } from '../../shared/compiler/compile.js';
import { RuleFileSchema, serializeRuleFile } from '../../shared/rule-file.js';
import { dynamicFactSpecs } from '../../shared/nodes/index.js';
import { createEvaluator } from '../engine/create-evaluator.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { explainDecision } from '../runtime/explain-decision.js';
import type { Runtime } from '../runtime/runtime.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import { refuseOversizedGraph } from './graph-size.js';
import { decisionRequest } from '../http/decision-request.js';

/** The simulator's caller: it owns no kept responses, so a Responses body cannot continue one. */
const SIMULATOR = 'simulator';

const SimulateBodySchema = z.object({
  graph: z.unknown(),
  /** The shape `request` is in: a chat completion unless told. */
  api: RequestApiSchema,
  /** Read by `api`'s own schema. */
  request: z.unknown(),
  tags: z.record(z.string(), z.string()).default({}),
  tier: z.string().default(''),
  user: z.string().default(''),
  /** Pretend values of the dynamic facts, so a product owner can see the over-budget path without spending. */
  dynamic: z.object(Object.fromEntries(dynamicFactSpecs().map((f) => [f.name, f.value.optional()]))).default({}),
});

/** `/api/compile`, `/api/import`, `/api/simulate`, `/api/pricing`: stateless helpers for the editor. */
export function toolsRouter(rt: Runtime): Router {
  const router = Router();

  router.post('/compile', (req, res) => {
    const { graph } = parseBody(GraphBodySchema, req.body, { surface: 'api' });
    refuseOversizedGraph(graph);
    res.json(compile(graph, { pricing: rt.pricing }));
  });

  router.post('/import', (req, res) => {
    const { ruleFile } = parseBody(ImportBodySchema, req.body, { surface: 'api' });
    refuseOversizedGraph((ruleFile as { graph?: unknown } | null)?.graph, 'ruleFile.graph');
    const parsed = RuleFileSchema.safeParse(ruleFile);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.');
      throw new HttpError({ status: 400, message: `Not a Tollgate rule file: ${field || '(root)'}: ${issue.message}`, code: 'invalid_rule_file', field: field || undefined });
    }
    const { ruleFile: recompiled, diagnostics } = compile(parsed.data.graph, { pricing: rt.pricing });
    if (recompiled && serializeRuleFile(recompiled) !== serializeRuleFile(parsed.data)) {
      throw new HttpError({ status: 400, message: 'The file was edited by hand: its rules differ from what its graph compiles to', code: 'stale_rule_file', field: 'rules' });
    }
    const body: ImportResponse = { graph: parsed.data.graph, diagnostics };
    res.json(body);
  });

  router.post('/simulate', async (req, res) => {
    const body = parseBody(SimulateBodySchema, req.body, { surface: 'api' });
    const decided = await decisionRequest(body.api, body.request, { surface: 'api', at: ['request'], responses: rt.state.responses, owner: SIMULATOR });
    refuseOversizedGraph(body.graph);
    const { ruleFile, diagnostics } = compile(body.graph, { pricing: rt.pricing });
    if (!ruleFile) throw new HttpError({ status: 422, message: 'Fix the graph’s errors to simulate it', code: 'graph_has_errors', diagnostics });
    await rt.chat.tokens.precount(decided.largeTexts);
    const pretend: Record<string, unknown> = body.dynamic;
    const resolve: DynamicFactResolver = (fact, params, facts) => pretend[fact] ?? rt.resolve(fact, params, facts);
    const caller = { tags: body.tags, tier: body.tier, user: body.user, serviceKey: SIMULATOR };
    const now = new Date();
    const decision = await explainDecision({
      ruleFile,
      evaluator: createEvaluator(ruleFile),
      request: decided.request,
      facts: decided.facts({ caller, pricing: rt.pricing, now }),
      servedModel: decided.servedModel,
      caller,
      pricing: rt.pricing,
      resolve,
      now,
      learner: rt.state.router,
    });
    res.json(decision);
  });

  router.get('/pricing', (_req, res) => {
    res.json(rt.pricing);
  });

  return router;
}
