import { Router } from 'express';
import type { PolicyDetailResponse, PolicyListResponse, PolicySummary } from '../../shared/api.js';
import { GraphBodySchema, PublishBodySchema, RollbackBodySchema, type PublishResponse } from '../../shared/api.js';
import { summarizeBacktest } from '../../shared/backtest-api.js';
import type { BacktestSummary } from '../../shared/backtest-summary.js';
import { compile } from '../../shared/compiler/compile.js';
import { GraphSchema, PolicyIdSchema } from '../../shared/graph.js';
import { driftOf } from '../policies/policy-drift.js';
import { unservableRoutes } from '../providers/unservable-routes.js';
import type { Runtime } from '../runtime/runtime.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import { refuseOversizedGraph } from './graph-size.js';

function policyId(raw: string): string {
  const parsed = PolicyIdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError({ status: 400, message: `policy id: ${parsed.error.issues[0]!.message}`, code: 'invalid_id', field: 'id' });
  return parsed.data;
}

function graphFor(id: string, body: unknown) {
  const { graph } = parseBody(GraphBodySchema, body, { surface: 'api' });
  refuseOversizedGraph(graph);
  const parsed = parseBody(GraphSchema, graph, { surface: 'api', code: 'invalid_graph', at: ['graph'] });
  if (parsed.id !== id) throw new HttpError({ status: 400, message: `graph.id is "${parsed.id}" but the URL names "${id}"`, code: 'id_mismatch', field: 'graph.id' });
  return parsed;
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

/** The summary of a finished backtest of this policy, which a publish cites; a 4xx naming `backtestJob` otherwise. */
function citedBacktest(rt: Runtime, id: string, job: string): BacktestSummary {
  const found = rt.backtests.get(job);
  if (!found || found.policy !== id) {
    throw new HttpError({ status: 404, message: `No backtest "${job}" of policy "${id}" (results live until the runtime restarts)`, code: 'backtest_not_found', field: 'backtestJob' });
  }
  if (found.status !== 'done' || !found.result) {
    throw new HttpError({ status: 409, message: `Backtest "${job}" is ${found.status}; publish after it is done`, code: 'backtest_not_done', field: 'backtestJob' });
  }
  return summarizeBacktest(job, found.result);
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
    if (!summary) throw new HttpError({ status: 404, message: `No policy "${id}"`, code: 'policy_not_found', field: 'id' });
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
    if (!(await rt.drafts.discard(id))) throw new HttpError({ status: 404, message: `Policy "${id}" has no draft`, code: 'draft_not_found', field: 'id' });
    res.status(204).end();
  });

  router.post('/policies/:id/publish', async (req, res) => {
    const id = policyId(req.params.id);
    const { message, author, backtestJob } = parseBody(PublishBodySchema, req.body, { surface: 'api' });
    const backtest = backtestJob === undefined ? null : citedBacktest(rt, id, backtestJob);
    const result = await rt.publisher.publish(graphFor(id, req.body), { message, author });
    if (!result.ok) {
      const first = result.diagnostics.find((d) => d.severity === 'error');
      throw new HttpError({ status: 422, message: `The graph has errors and was not published: ${first?.message ?? 'see diagnostics'}`, code: 'graph_has_errors', diagnostics: result.diagnostics });
    }
    if (backtest) await rt.history.attachBacktest(id, result.ruleFile.policy.version, backtest);
    rt.log.info({ policy: id, version: result.ruleFile.policy.version, git: result.git }, 'policy published');
    const unservable = unservableRoutes([result.ruleFile], rt.state.providers, rt.pricing);
    if (unservable.length > 0) rt.log.warn({ routes: unservable }, 'the published policy has routes whose provider is not configured');
    const body: PublishResponse = { ruleFile: result.ruleFile, version: result.ruleFile.policy.version, git: result.git };
    res.json(body);
  });

  router.get('/policies/:id/versions', async (req, res) => {
    const id = policyId(req.params.id);
    const live = rt.store.get(id);
    const versions = await rt.history.list(id);
    // A policy never published through the API still has its current file as a version.
    if (live && !versions.some((v) => v.version === live.ruleFile.policy.version)) {
      versions.unshift({ version: live.ruleFile.policy.version, compiledAt: live.ruleFile.policy.compiledAt, ruleCount: live.ruleFile.rules.length, author: '', message: '' });
    }
    res.json({ versions });
  });

  router.get('/policies/:id/versions/:version', async (req, res) => {
    const id = policyId(req.params.id);
    const version = Number(req.params.version);
    const live = rt.store.get(id);
    const file = live?.ruleFile.policy.version === version ? live.ruleFile : await rt.history.get(id, version);
    if (!file) throw new HttpError({ status: 404, message: `Policy "${id}" has no version ${req.params.version}`, code: 'version_not_found', field: 'version' });
    res.json(file);
  });

  router.post('/policies/:id/rollback', async (req, res) => {
    const id = policyId(req.params.id);
    const { version, message, author } = parseBody(RollbackBodySchema, req.body, { surface: 'api' });
    const live = rt.store.get(id);
    const old = live?.ruleFile.policy.version === version ? live.ruleFile : await rt.history.get(id, version);
    if (!old) throw new HttpError({ status: 404, message: `Policy "${id}" has no version ${version}`, code: 'version_not_found', field: 'version' });
    const result = await rt.publisher.publish(old.graph, { message: message || `Roll back to v${version}`, author });
    if (!result.ok) throw new HttpError({ status: 422, message: `Version ${version} no longer compiles`, code: 'graph_has_errors', field: 'version', diagnostics: result.diagnostics });
    const body: PublishResponse = { ruleFile: result.ruleFile, version: result.ruleFile.policy.version, git: result.git };
    res.json(body);
  });

  return router;
}
