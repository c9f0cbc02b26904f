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

/** The dashboard's reads, all from the hour and day rollups: `/api/usage/series`, `/api/usage/overview`, `/api/usage/budgets`. */
export function dashboardRouter(rt: Runtime): Router {
  const router = Router();

  router.get('/usage/series', (req, res) => {
    const query = parseBody(SeriesQuerySchema, req.query, { surface: 'api' });
    if (query.groupBy === 'user' && query.filter) {
      throw new HttpError({ status: 400, message: 'filter: spend per user is rolled up apart from the other dimensions and cannot be filtered', code: 'invalid_body', field: 'filter' });
    }
    res.json(usageSeries(rt.state.rollups, query));
  });

  router.get('/usage/overview', (req, res) => {
    const query = parseBody(OverviewQuerySchema, req.query, { surface: 'api' });
    const isDegrade = (policy: string, rule: string) => {
      const found = rt.store.get(policy)?.ruleFile.rules.find((r) => r.name === rule);
      return found ? terminalOf(found.event.params.actions).type === 'degrade' : false;
    };
    res.json(usageOverview(rt.state.rollups, query, isDegrade));
  });

  router.get('/usage/budgets', (_req, res) => {
    const now = Date.now();
    const budgets = rt.store.list().flatMap((s) => (s.live ? budgetsOf(s.live.ruleFile) : []));
    const body: BudgetBurnResponse = { now: new Date(now).toISOString(), budgets: budgetBurn({ rollups: rt.state.rollups, budgets, limits: rt.state.budgets, now }) };
    res.json(body);
  });

  return router;
}
