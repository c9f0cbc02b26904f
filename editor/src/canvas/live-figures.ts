import type { LiveStatsResponse, NodeLive } from '../../../shared/live-stats.js';
import type { GraphNode } from '../../../shared/graph.js';
import { nodeSpec } from '../../../shared/nodes/index.js';
import { formatUsd } from '../simulator/plain-trace.js';

/** Who a scope key stands for, as an owner says it: `tag:team=research` is "research". */
export function scopeName(key: string): string {
  if (key === 'global') return 'everyone';
  const value = key.slice(key.indexOf('=') + 1);
  if (key.startsWith('tag:')) return value === '' ? `no ${key.slice(4, key.indexOf('='))}` : value;
  return value;
}

function percent(part: number, whole: number): string {
  if (!(whole > 0)) return '—';
  const pct = (part / whole) * 100;
  // A few cents of a $50 budget is not "0%": something was spent.
  return pct > 0 && pct < 1 ? '<1%' : `${Math.round(pct)}%`;
}
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The lines a node shows under its summary for today's figures, by the live figure its spec declares. */
export function liveLines(node: Pick<GraphNode, 'kind'>, live: NodeLive): string[] {
  const figure = nodeSpec(node.kind).live;
  if (figure === 'spend') {
    if (live.budgets.length === 0) return ['no spend today'];
    const lines = live.budgets.map((b) => `${scopeName(b.key)}: ${formatUsd(b.usedUsd)} of ${formatUsd(b.limitUsd)} (${percent(b.usedUsd, b.limitUsd)})`);
    const more = live.scopesSeen - live.budgets.length;
    return more > 0 ? [...lines, `+${more} more`] : lines;
  }
  if (figure === 'hitRate') {
    if (live.cacheLookups === 0) return ['no lookups today'];
    return [`hit rate ${percent(live.cacheHits, live.cacheLookups)} (${live.cacheHits} of ${live.cacheLookups}) today`];
  }
  if (figure === 'traffic') return [`${plural(live.requests, 'request')} · ${formatUsd(live.costUsd)} today`];
  return [];
}

/**
 * Today's figure in a few words, for a node drawn as an overview: the most-spent scope's share of
 * its limit, the hit rate, the requests. Null where the kind declares no live figure.
 */
export function liveGlance(node: Pick<GraphNode, 'kind'>, live: NodeLive): string | null {
  const figure = nodeSpec(node.kind).live;
  if (figure === 'spend') {
    const top = [...live.budgets].sort((a, b) => b.usedUsd / b.limitUsd - a.usedUsd / a.limitUsd)[0];
    return top ? `${scopeName(top.key)} ${percent(top.usedUsd, top.limitUsd)}` : 'no spend';
  }
  if (figure === 'hitRate') return live.cacheLookups === 0 ? 'no lookups' : `${percent(live.cacheHits, live.cacheLookups)} hits`;
  if (figure === 'traffic') return plural(live.requests, 'request');
  return null;
}

/** What a node shows of today: its lines under the summary, and its glance in an overview. */
export interface NodeLiveView {
  lines: string[];
  glance: string | null;
}

/** Each node's figures, or none at all when there are no live figures (a draft that differs from what is live). */
export function liveLinesByNode(nodes: readonly GraphNode[], stats: LiveStatsResponse | null): ReadonlyMap<string, NodeLiveView> {
  const views = new Map<string, NodeLiveView>();
  if (!stats) return views;
  for (const node of nodes) {
    const live = stats.nodes[node.id];
    if (live) views.set(node.id, { lines: liveLines(node, live), glance: liveGlance(node, live) });
  }
  return views;
}
