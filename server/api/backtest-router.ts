import { Router } from 'express';
import { BacktestRequestSchema, type BacktestRequest } from '../../shared/backtest-api.js';
import { compile } from '../../shared/compiler/compile.js';
import { IdSchema } from '../../shared/graph.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { runBacktest } from '../backtest/run-backtest.js';
import type { Runtime } from '../runtime/runtime.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';

function policyId(raw: string): string {
  const parsed = IdSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError({ status: 400, message: `policy id: ${parsed.error.issues[0]!.message}`, code: 'invalid_id', field: 'id' });
  return parsed.data;
}

async function publishedFile(rt: Runtime, id: string, version: number): Promise<RuleFile | null> {
  const live = rt.store.get(id)?.ruleFile;
  return live?.policy.version === version ? live : rt.history.get(id, version);
}

/** The policy to try: the graph sent, else a published version, else the saved draft, else the live version. */
async function candidateFile(rt: Runtime, id: string, body: BacktestRequest): Promise<RuleFile> {
  if (body.version !== undefined) {
    const file = await publishedFile(rt, id, body.version);
    if (!file) throw new HttpError({ status: 404, message: `Policy "${id}" has no version ${body.version}`, code: 'version_not_found', field: 'version' });
    return file;
  }
  const graph = body.graph ?? rt.drafts.get(id);
  if (graph) {
    if (graph.id !== id) throw new HttpError({ status: 400, message: `graph.id is "${graph.id}" but the URL names "${id}"`, code: 'id_mismatch', field: 'graph.id' });
    const { ruleFile, diagnostics } = compile(graph, { pricing: rt.pricing });
    if (!ruleFile || diagnostics.some((d) => d.severity === 'error')) {
      const first = diagnostics.find((d) => d.severity === 'error');
      throw new HttpError({
        status: 422,
        message: `The graph has errors and cannot be backtested: ${first?.message ?? 'see diagnostics'}`,
        code: 'graph_has_errors',
        field: 'graph',
        diagnostics,
      });
    }
    return ruleFile;
  }
  const live = rt.store.get(id)?.ruleFile;
  if (!live) throw new HttpError({ status: 404, message: `No policy "${id}"`, code: 'policy_not_found', field: 'id' });
  return live;
}

/** `POST /api/policies/:id/backtest` starts a replay of captured traffic; `GET /api/backtests/:job` reports progress and the result. */
export function backtestRouter(rt: Runtime): Router {
  const router = Router();
  const jobs = rt.backtests;

  router.post('/policies/:id/backtest', async (req, res) => {
    const id = policyId(req.params.id);
    const body = parseBody(BacktestRequestSchema, req.body, { surface: 'api' });
    if (!rt.store.get(id) && !rt.drafts.get(id) && (await rt.history.latest(id)) === 0) {
      throw new HttpError({ status: 404, message: `No policy "${id}"`, code: 'policy_not_found', field: 'id' });
    }
    const candidate = await candidateFile(rt, id, body);
    const job = jobs.start(id, (onProgress) =>
      runBacktest({
        policy: id,
        candidate,
        baselineFile: (version) => publishedFile(rt, id, version),
        // What is still buffered belongs to the window too: the capture store flushes (and ships) before it reads.
        captured: (query) => rt.capture.read(query),
        feedback: (from) => rt.state.usageFeedback(from),
        records: (range) => rt.state.usageRecords(range),
        pricing: rt.pricing,
        limits: rt.state.budgets,
        from: body.from,
        to: body.to,
        ...(body.sample !== undefined ? { sample: body.sample } : {}),
        onProgress,
      }),
    );
    res.status(202).location(`/api/backtests/${job.job}`).json(job);
  });

  router.get('/backtests/:job', (req, res) => {
    const job = jobs.get(req.params.job);
    if (!job) throw new HttpError({ status: 404, message: `No backtest "${req.params.job}" (results live until the runtime restarts)`, code: 'backtest_not_found', field: 'job' });
    res.json(job);
  });

  return router;
}
