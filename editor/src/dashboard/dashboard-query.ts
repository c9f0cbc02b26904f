import type { SeriesBucket } from '../../../shared/usage-api.js';

export const RANGES = [
  { id: '24h', label: 'Last 24 hours', hours: 24, bucket: 'hour' },
  { id: '7d', label: 'Last 7 days', hours: 7 * 24, bucket: 'hour' },
  { id: '30d', label: 'Last 30 days', hours: 30 * 24, bucket: 'day' },
] as const satisfies readonly { id: string; label: string; hours: number; bucket: SeriesBucket }[];
export type RangeId = (typeof RANGES)[number]['id'];

/** What the dashboard shows, all of it in the URL so a view can be shared or bookmarked. */
export interface DashboardQuery {
  range: RangeId;
  /** team, model, policy... or `tag:<key>`. */
  groupBy: string;
  /** `team=search`, or empty for everything. */
  filter: string;
}

const DEFAULTS: DashboardQuery = { range: '24h', groupBy: 'team', filter: '' };
const GROUP = /^[A-Za-z_][A-Za-z0-9_:-]*$/;
const FILTER = /^[A-Za-z_][A-Za-z0-9_:-]*=.*$/;

export function readQuery(search: string): DashboardQuery {
  const p = new URLSearchParams(search);
  const range = RANGES.find((r) => r.id === p.get('range'))?.id ?? DEFAULTS.range;
  const groupBy = p.get('groupBy') ?? '';
  const filter = p.get('filter') ?? '';
  return { range, groupBy: GROUP.test(groupBy) ? groupBy : DEFAULTS.groupBy, filter: FILTER.test(filter) ? filter : '' };
}

export function writeQuery(q: DashboardQuery): string {
  const p = new URLSearchParams({ range: q.range, groupBy: q.groupBy });
  if (q.filter) p.set('filter', q.filter);
  return `?${p.toString()}`;
}

const HOUR_MS = 3_600_000;

/** The API's window for a range: whole hours, ending with the current one. */
export function apiWindow(range: RangeId, now: number): { from: string; to: string; bucket: SeriesBucket } {
  const r = RANGES.find((x) => x.id === range)!;
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { from: new Date(to - r.hours * HOUR_MS).toISOString(), to: new Date(to).toISOString(), bucket: r.bucket };
}
