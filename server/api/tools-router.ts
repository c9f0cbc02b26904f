import { Router } from 'express';
import { z } from 'zod';
import type { ImportResponse } from '../../shared/api.js';
import { ChatCompletionRequestSchema, GraphBodySchema, ImportBodySchema } from '../../shared/api.js';
import { compile } from '../../shared/compiler/compile.js';
import { RuleFileSchema, serializeRuleFile } from '../../shared/rule-file.js';
import { createEvaluator } from '../engine/create-evaluator.js';
import { explainDecision } from '../runtime/explain-decision.js';
import type { Runtime } from '../runtime/runtime.js';
import { ApiHttpError, parseApiBody } from './api-error.js';
import { refuseOversizedGraph } from './graph-size.js';

const SimulateBodySchema = z.object({
  graph: z.unknown(),
  request: ChatCompletionRequestSchema,
  tags: z.record(z.string(), z.string()).default({}),
  tier: z.string().default(''),
  user: z.string().default(''),
  /** Pretend state for the dynamic facts, so a product owner can see the over-budget path without spending. */
  dynamic: z.object({ budgetUsedPct: z.number().optional(), rateLimited: z.boolean().optional() }).default({}),
});

/** `/api/compile`, `/api/import`, `/api/simulate`, `/api/pricing`: stateless helpers for the editor. */
export function toolsRouter(rt: Runtime): Router {
  const router = Router();

  router.post('/compile', (req, res) => {
    const { graph } = parseApiBody(GraphBodySchema, req.body);
    refuseOversizedGraph(graph);
    res.json(compile(graph, { pricing: rt.pricing }));
  });

  router.post('/import', (req, res) => {
    const { ruleFile } = parseApiBody(ImportBodySchema, req.body);
    refuseOversizedGraph((ruleFile as { graph?: unknown } | null)?.graph, 'ruleFile.graph');
    const parsed = RuleFileSchema.safeParse(ruleFile);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.');
      throw new ApiHttpError(400, `Not a Tollgate rule file: ${field || '(root)'}: ${issue.message}`, 'invalid_rule_file', field || undefined);
    }
    const { ruleFile: recompiled, diagnostics } = compile(parsed.data.graph, { pricing: rt.pricing });
    if (recompiled && serializeRuleFile(recompiled) !== serializeRuleFile(parsed.data)) {
      throw new ApiHttpError(400, 'The file was edited by hand: its rules differ from what its graph compiles to', 'stale_rule_file', 'rules');
    }
    const body: ImportResponse = { graph: parsed.data.graph, diagnostics };
    res.json(body);
  });

  router.post('/simulate', async (req, res) => {
    const body = parseApiBody(SimulateBodySchema, req.body);
    refuseOversizedGraph(body.graph);
    const { ruleFile, diagnostics } = compile(body.graph, { pricing: rt.pricing });
    if (!ruleFile) throw new ApiHttpError(422, 'Fix the graph’s errors to simulate it', 'graph_has_errors', undefined, diagnostics);
    const { budgetUsedPct, rateLimited } = body.dynamic;
    const resolve = (fact: string, params: Record<string, unknown>, facts: Parameters<typeof rt.resolve>[2]) => {
      if (fact === 'budgetUsedPct' && budgetUsedPct !== undefined) return budgetUsedPct;
      if (fact === 'rateLimited' && rateLimited !== undefined) return rateLimited;
      return rt.resolve(fact, params, facts);
    };
    const decision = await explainDecision({
      ruleFile,
      evaluator: createEvaluator(ruleFile),
      request: body.request,
      caller: { tags: body.tags, tier: body.tier, user: body.user, serviceKey: 'simulator' },
      pricing: rt.pricing,
      resolve,
      now: new Date(),
    });
    res.json(decision);
  });

  router.get('/pricing', (_req, res) => {
    res.json(rt.pricing);
  });

  return router;
}
