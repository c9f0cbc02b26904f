import { Router } from 'express';
import { z } from 'zod';
import { branchKey } from '../ledger/branch-key.js';
import { UsageSummary } from '../ledger/summarize.js';
import { usageFromRollups } from '../ledger/usage-from-rollups.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { ScopeKeySchema, WindowLimitsSchema } from '../limits/budget-overrides.js';
import type { Runtime } from '../runtime/runtime.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day like 2026-11-28');
const UsageQuerySchema = z.object({
  groupBy: z
    .string()
    .regex(/^[A-Za-z_:][A-Za-z0-9_:-]*$/, 'a field (model, day, policy, provider, serviceKey, user, cache, rule), branch:<node id> or a tag key')
    .default('team'),
  from: Day.optional(),
  to: Day.optional(),
});

/** `/api/usage` (spend by team, model, day... from the ledger) and `/api/budgets` (per-scope limit overrides). */
export function usageRouter(rt: Runtime): Router {
  const router = Router();

  router.get('/usage', async (req, res) => {
    const query = parseBody(UsageQuerySchema, req.query, { surface: 'api' });
    // With PostgreSQL the answer spans every instance; the rollups hold this one's records only.
    const fast = rt.state.ledgerDb ? null : usageFromRollups(rt.state.rollups, { ...query, now: Date.now() });
    if (fast) {
      res.json({ groupBy: query.groupBy, from: query.from ?? null, to: query.to ?? null, groups: fast });
      return;
    }
    const scores = await rt.state.usageFeedback(query.from);
    const branch = query.groupBy.startsWith('branch:') ? branchKey(query.groupBy.slice(7), await everyRuleFile(rt)) : undefined;
    const summary = new UsageSummary(query.groupBy, scores, branch);
    const to = query.to ? `${query.to}T23:59:59.999Z` : undefined;
    for await (const record of rt.state.usageRecords({ from: query.from, to })) summary.add(record);
    res.json({ groupBy: query.groupBy, from: query.from ?? null, to: query.to ?? null, groups: summary.result() });
  });

  router.get('/budgets', (_req, res) => {
    res.json({ overrides: rt.state.budgets.all() });
  });

  router.put('/budgets/:key', async (req, res) => {
    const key = ScopeKeySchema.safeParse(req.params.key);
    if (!key.success) throw new HttpError({ status: 400, message: `scope key: ${key.error.issues[0]!.message}`, code: 'invalid_scope', field: 'key' });
    const limits = parseBody(WindowLimitsSchema, req.body, { surface: 'api' });
    await rt.state.budgets.set(key.data, limits);
    res.json({ key: key.data, limits });
  });

  router.delete('/budgets/:key', async (req, res) => {
    await rt.state.budgets.set(req.params.key, null);
    res.status(204).end();
  });

  return router;
}

/** Every version of every policy the runtime knows, live ones included: old records name old versions. */
async function everyRuleFile(rt: Runtime): Promise<RuleFile[]> {
  const files: RuleFile[] = [];
  for (const status of rt.store.list()) {
    if (status.live) files.push(status.live.ruleFile);
    for (const version of await rt.history.versions(status.id)) {
      const file = await rt.history.get(status.id, version);
      if (file) files.push(file);
    }
  }
  return files;
}
