import type { UsageGroup } from './summarize.js';
import { DAY_MS, ROLLUP_DAYS, rollupDimension } from './usage-rollups.js';
import type { UsageRollups } from './usage-rollups.js';

export interface RollupUsageQuery {
  groupBy: string;
  /** A UTC day (inclusive). */
  from?: string | undefined;
  /** A UTC day (inclusive: the whole day). */
  to?: string | undefined;
  now: number;
}

/**
 * `/api/usage` from the hour and day rollups, or null when they cannot answer exactly: no `from`
 * (the ledger may hold records older than the rollups), a start before the rollup window (the
 * rollups were rebuilt from the last ROLLUP_DAYS days only), or a grouping they do not hold.
 */
export function usageFromRollups(rollups: UsageRollups, query: RollupUsageQuery): UsageGroup[] | null {
  if (!query.from || !rollupDimension(query.groupBy)) return null;
  const from = Date.parse(`${query.from}T00:00:00Z`);
  const windowStart = Math.floor(query.now / DAY_MS) * DAY_MS - (ROLLUP_DAYS - 1) * DAY_MS;
  if (Number.isNaN(from) || from < Math.max(rollups.coversFrom, windowStart)) return null;
  const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY_MS : Math.floor(query.now / DAY_MS) * DAY_MS + 2 * DAY_MS;
  if (Number.isNaN(to) || to <= from) return [];
  return rollups.summary(query.groupBy, from, to);
}
