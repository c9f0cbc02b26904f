import { Router } from 'express';
import type { LiveStatsResponse } from '../../shared/live-stats.js';
import { PolicyIdSchema } from '../../shared/graph.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { HttpError } from '../errors/http-error.js';
import { utcDay } from '../ledger/ledger-files.js';
import { LiveTally } from '../ledger/live-tally.js';
import type { Runtime } from '../runtime/runtime.js';

/** `/api/policies/:id/live-stats`: today's figures per node of the published version, from the day's rollup of the ledger. */
export function liveStatsRouter(rt: Runtime): Router {
  const router = Router();

  router.get('/policies/:id/live-stats', async (req, res) => {
    const parsed = PolicyIdSchema.safeParse(req.params.id);
    if (!parsed.success) throw new HttpError({ status: 400, message: `policy id: ${parsed.error.issues[0]!.message}`, code: 'invalid_id', field: 'id' });
    const id = parsed.data;
    const live = rt.store.get(id);
    if (!live) throw new HttpError({ status: 404, message: `Policy "${id}" is not published: it has no live figures`, code: 'policy_not_found', field: 'id' });
    const now = Date.now();
    const day = utcDay(new Date(now));
    const files = new Map<number, RuleFile | null>([[live.ruleFile.policy.version, live.ruleFile]]);
    const rows = rt.state.today.rows(id, now);
    // Rows of an older version are read with that version's rules.
    for (const version of new Set(rows.map((r) => r.policyVersion))) if (!files.has(version)) files.set(version, await rt.history.get(id, version));
    const tally = new LiveTally({ graph: live.ruleFile.graph, ruleFile: (version) => files.get(version) ?? undefined });
    for (const row of rows) tally.add(row);
    const body: LiveStatsResponse = {
      policy: id,
      version: live.ruleFile.policy.version,
      day,
      nodes: tally.result((params, subject) => rt.state.book.usage(params, subject, now)),
    };
    res.json(body);
  });

  return router;
}
