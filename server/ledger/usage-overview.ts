import type { OverviewQuery, OverviewResponse } from '../../shared/usage-api.js';
import { cellFilter, hourRange } from './usage-range.js';
import { addTotals, emptyTotals, unitsToMicros, type Totals, type UsageRollups } from './usage-rollups.js';

/** Whether a rule of a policy ends in a degrade node, so what it saved counts as degradation rather than routing. */
export type IsDegrade = (policy: string, rule: string) => boolean;

const TOP = 10;

function ranked(groups: Map<string, Totals>): OverviewResponse['topKeys'] {
  return [...groups]
    .sort((a, b) => b[1].cost - a[1].cost || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([key, t]) => ({ key, costMicros: unitsToMicros(t.cost), requests: t.requests }));
}

function into(groups: Map<string, Totals>, key: string, totals: Totals): void {
  let group = groups.get(key);
  if (!group) groups.set(key, (group = emptyTotals()));
  addTotals(group, totals);
}

/**
 * The dashboard's headline figures for a range, from the rollups: totals, cache hit rate, savings
 * by category against the model asked for, top keys and users, quality per route, tag values.
 * Users are rolled up apart from the other dimensions, so a filtered overview lists no top users.
 */
export function usageOverview(rollups: UsageRollups, query: OverviewQuery, isDegrade: IsDegrade): OverviewResponse {
  const range = hourRange(query.from, query.to);
  const keep = cellFilter(query.filter);
  const all = emptyTotals();
  let degradation = 0;
  const keys = new Map<string, Totals>();
  const users = new Map<string, Totals>();
  const routes = new Map<string, Totals>();
  const tags = new Map<string, Set<string>>();
  rollups.visit(range.from, range.to, 'day', (_start, bucket) => {
    if (!query.filter) for (const [user, t] of bucket.users) into(users, user, t);
    for (const cell of bucket.cells) {
      for (const [k, v] of Object.entries(cell.dims.tags)) {
        let values = tags.get(k);
        if (!values) tags.set(k, (values = new Set()));
        values.add(v);
      }
      if (!keep(cell.dims)) continue;
      const t = cell.totals;
      addTotals(all, t);
      if (cell.dims.rule && isDegrade(cell.dims.policy, cell.dims.rule)) degradation += t.saved - t.cacheSaved;
      into(keys, cell.dims.serviceKey, t);
      into(routes, cell.dims.rule || '(no rule)', t);
    }
  });
  const lookups = all.cacheHits + all.cacheMisses;
  return {
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    requests: all.requests,
    costMicros: unitsToMicros(all.cost),
    cacheHits: all.cacheHits,
    cacheHitRate: lookups > 0 ? all.cacheHits / lookups : null,
    errors: all.errors,
    savings: {
      cacheMicros: unitsToMicros(all.cacheSaved),
      routingMicros: unitsToMicros(all.saved - all.cacheSaved - degradation),
      degradationMicros: unitsToMicros(degradation),
      trimmingMicros: 0,
    },
    answerCheck: { checked: all.answersChecked, escalated: all.answersEscalated, escalatedCheapMicros: unitsToMicros(all.escalatedCheapCost) },
    topKeys: ranked(keys),
    topUsers: ranked(users),
    routes: [...routes]
      .sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1))
      .map(([key, t]) => ({
        key,
        requests: t.requests,
        costMicros: unitsToMicros(t.cost),
        feedback: t.feedback,
        quality: t.feedback > 0 ? Math.round((t.scoreSum / t.feedback) * 10_000) / 10_000 : null,
      })),
    tags: Object.fromEntries([...tags].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()])),
    source: 'rollups',
  };
}
