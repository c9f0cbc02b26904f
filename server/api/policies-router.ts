import { Router } from 'express';
import type { PolicyDetailResponse, PolicyListResponse, PolicySummary } from '../../shared/api.js';
import { GraphBodySchema, RollbackBodySchema } from '../../shared/api.js';
import { compile } from '../../shared/compiler/compile.js';
import { GraphSchema, PolicyIdSchema } from '../../shared/graph.js';
import { driftOf } from '../policies/policy-drift.js';
import { unservableRoutes } from '../providers/unservable-routes.js';
import type { Runtime } from '../runtime/runtime.js';
import { ApiHttpError, parseApiBody } from './api-error.js';
import { refuseOversizedGraph } from './graph-size.js';

function policyId(raw: string): string {
  const parsed = PolicyIdSchema.safeParse(raw);
  if (!parsed.success) throw new ApiHttpError(400, `policy id: ${parsed.error.issues[0]!.message}`, 'invalid_id', 'id');
  return parsed.data;
}

function graphFor(id: string, body: unknown) {
  const { graph } = parseApiBody(GraphBodySchema, body);
  refuseOversizedGraph(graph);
  const parsed = GraphSchema.safeParse(graph);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['graph', ...issue.path.map(String)].join('.');
    throw new ApiHttpError(400, `${field}: ${issue.message}`, 'invalid_graph', field);
  }
  if (parsed.data.id !== id) throw new ApiHttpError(400, `graph.id is "${parsed.data.id}" but the URL names "${id}"`, 'id_mismatch', 'graph.id');
  return parsed.data;
}

export function summarize(rt: Runtime, id: string): PolicySummary | null {
  const status = rt.store.status(id);
  const draft = rt.drafts.get(id);
  const file = status.live?.ruleFile;
  if (!file && !status.error && !draft) return null;
  const drift = file ? driftOf(file, rt.pricing) : null;
  return {
    id,
    name: file?.policy.name ?? draft?.name ?? id,
    description: file?.policy.description ?? draft?.description ?? '',
    version: file?.policy.version ?? 0,
    ruleCount: file?.rules.length ?? 0,
    isDefault: id === rt.config.defaultPolicy,
    status: status.error ? 'error' : drift ? 'drifted' : 'ok',
    ...(status.error ? { error: status.error } : {}),
    ...(drift ? { drift } : {}),
    hasDraft: draft !== null,
    compiledAt: file?.policy.compiledAt ?? '',
  };
}

/** `/api/policies`: list, read, drafts, compile, publish, versions and rollback. */
export function policiesRouter(rt: Runtime): Router {
  const router = Router();

  router.get('/policies', (_req, res) => {
    const ids = new Set([...rt.store.list().map((s) => s.id), ...rt.drafts.ids()]);
    const body: PolicyListResponse = {
      defaultPolicy: rt.config.defaultPolicy,
      policies: [...ids].sort().flatMap((id) => summarize(rt, id) ?? []),
    };
    res.json(body);
  });

  router.get('/policies/:id', (req, res) => {
    const id = policyId(req.params.id);
    const summary = summarize(rt, id);
    if (!summary) throw new ApiHttpError(404, `No policy "${id}"`, 'policy_not_found', 'id');
    const body: PolicyDetailResponse = { summary, ruleFile: rt.store.get(id)?.ruleFile ?? null, draft: rt.drafts.get(id) };
    res.json(body);
  });

  router.put('/policies/:id/draft', async (req, res) => {
    const id = policyId(req.params.id);
    const graph = graphFor(id, req.body);
    await rt.drafts.save(id, graph);
    res.json({ graph, diagnostics: compile(graph, { pricing: rt.pricing }).diagnostics });
  });

  router.delete('/policies/:id/draft', async (req, res) => {
    const id = policyId(req.params.id);
    if (!(await rt.drafts.discard(id))) throw new ApiHttpError(404, `Policy "${id}" has no draft`, 'draft_not_found', 'id');
    res.status(204).end();
  });

  router.post('/policies/:id/publish', async (req, res) => {
    const id = policyId(req.params.id);
    const result = await rt.publisher.publish(graphFor(id, req.body));
    if (!result.ok) {
      const first = result.diagnostics.find((d) => d.severity === 'error');
      throw new ApiHttpError(422, `The graph has errors and was not published: ${first?.message ?? 'see diagnostics'}`, 'graph_has_errors', undefined, result.diagnostics);
    }
    rt.log.info({ policy: id, version: result.ruleFile.policy.version }, 'policy published');
    const unservable = unservableRoutes([result.ruleFile], rt.providers, rt.pricing);
    if (unservable.length > 0) rt.log.warn({ routes: unservable }, 'the published policy has routes whose provider is not configured');
    res.json({ ruleFile: result.ruleFile, version: result.ruleFile.policy.version });
  });

  router.get('/policies/:id/versions', async (req, res) => {
    const id = policyId(req.params.id);
    const live = rt.store.get(id);
    const versions = await rt.history.list(id);
    // A policy never published through the API still has its current file as a version.
    if (live && !versions.some((v) => v.version === live.ruleFile.policy.version)) {
      versions.unshift({ version: live.ruleFile.policy.version, compiledAt: live.ruleFile.policy.compiledAt, ruleCount: live.ruleFile.rules.length });
    }
    res.json({ versions });
  });

  router.get('/policies/:id/versions/:version', async (req, res) => {
    const id = policyId(req.params.id);
    const version = Number(req.params.version);
    const live = rt.store.get(id);
    const file = live?.ruleFile.policy.version === version ? live.ruleFile : await rt.history.get(id, version);
    if (!file) throw new ApiHttpError(404, `Policy "${id}" has no version ${req.params.version}`, 'version_not_found', 'version');
    res.json(file);
  });

  router.post('/policies/:id/rollback', async (req, res) => {
    const id = policyId(req.params.id);
    const { version } = parseApiBody(RollbackBodySchema, req.body);
    const live = rt.store.get(id);
    const old = live?.ruleFile.policy.version === version ? live.ruleFile : await rt.history.get(id, version);
    if (!old) throw new ApiHttpError(404, `Policy "${id}" has no version ${version}`, 'version_not_found', 'version');
    const result = await rt.publisher.publish(old.graph);
    if (!result.ok) throw new ApiHttpError(422, `Version ${version} no longer compiles`, 'graph_has_errors', 'version', result.diagnostics);
    res.json({ ruleFile: result.ruleFile, version: result.ruleFile.policy.version });
  });

  return router;
}
