import { Router } from 'express';
import { OverviewQuerySchema, SeriesQuerySchema, type BudgetBurnResponse } from '../../shared/usage-api.js';
import { parseBody } from '../errors/parse-body.js';
import { HttpError } from '../errors/http-error.js';
import { budgetBurn } from '../ledger/budget-burn.js';
import { budgetsOf } from '../limits/policy-budgets.js';
import { usageOverview } from '../ledger/usage-overview.js';
import { usageSeries } from '../ledger/usage-series.js';
import type { Runtime } from '../runtime/runtime.js';
import { terminalOf } from '../runtime/terminal.js';

/**
 * The dashboard's reads, all from the hour and day rollups: `/api/usage/series`, `/api/usage/overview`,
 * `/api/usage/budgets`. With PostgreSQL, the rollups of every instance's records; else this one's.
 */
export function dashboardRouter(rt: Runtime): Router {
  const router = Router();
  const rollups = () => rt.state.ledgerDb?.sharedRollups() ?? Promise.resolve(rt.state.rollups);

  router.get('/usage/series', async (req, res) => {
    const query = parseBody(SeriesQuerySchema, req.query, { surface: 'api' });
    if (query.groupBy === 'user' && query.filter) {
      throw new HttpError({ status: 400, message: 'filter: spend per user is rolled up apart from the other dimensions and cannot be filtered', code: 'invalid_body', field: 'filter' });
    }
    res.json(usageSeries(await rollups(), query));
  });

  router.get('/usage/overview', async (req, res) => {
    const query = parseBody(OverviewQuerySchema, req.query, { surface: 'api' });
    const isDegrade = (policy: string, rule: string) => {
      const found = rt.store.get(policy)?.ruleFile.rules.find((r) => r.name === rule);
      return found ? terminalOf(found.event.params.actions).type === 'degrade' : false;
    };
    res.json(usageOverview(await rollups(), query, isDegrade));
  });

  router.get('/usage/budgets', async (_req, res) => {
    const now = Date.now();
    const budgets = rt.store.list().flatMap((s) => (s.live ? budgetsOf(s.live.ruleFile) : []));
    const body: BudgetBurnResponse = { now: new Date(now).toISOString(), budgets: budgetBurn({ rollups: await rollups(), budgets, limits: rt.state.budgets, now }) };
    res.json(body);
  });

  return router;
}
