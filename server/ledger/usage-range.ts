import { HOUR_MS } from './usage-rollups.js';
import type { CellDims } from './usage-rollups.js';
import { dimValue } from './usage-rollups.js';

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `[from, to)` of a dashboard query in whole hours, as the rollups keep them: a bare day means
 * its midnight for `from` and the midnight after it for `to` (the whole day is included).
 */
export function hourRange(from: string, to: string): { from: number; to: number } {
  const start = Date.parse(DAY_ONLY.test(from) ? `${from}T00:00:00Z` : from);
  const end = DAY_ONLY.test(to) ? Date.parse(`${to}T00:00:00Z`) + 24 * HOUR_MS : Date.parse(to);
  return { from: Math.floor(start / HOUR_MS) * HOUR_MS, to: Math.ceil(end / HOUR_MS) * HOUR_MS };
}

/** `team=search` as a test on a rollup cell: the dimension (a field or a tag) must have that value. */
export function cellFilter(filter: string | undefined): (dims: CellDims) => boolean {
  if (!filter) return () => true;
  const at = filter.indexOf('=');
  const key = filter.slice(0, at);
  const value = filter.slice(at + 1);
  return (dims) => dimValue(dims, key) === value;
}
