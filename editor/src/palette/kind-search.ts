import type { NodeKind } from '../../../shared/graph.js';
import { NODE_SPECS } from '../../../shared/nodes/index.js';

/**
 * The kinds a search finds, best first: a title that starts with the query, then a title or
 * kind that contains it, then a description that does ("cheaper" finds Degrade).
 */
export function searchKinds(query: string, kinds: readonly NodeKind[]): NodeKind[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...kinds];
  const rank = (kind: NodeKind): number => {
    const spec = NODE_SPECS[kind];
    const title = spec.title.toLowerCase();
    if (title.startsWith(q)) return 0;
    if (title.includes(q) || kind.toLowerCase().includes(q)) return 1;
    if (spec.description.toLowerCase().includes(q)) return 2;
    return 3;
  };
  return kinds
    .map((kind, order) => ({ kind, order, rank: rank(kind) }))
    .filter((k) => k.rank < 3)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((k) => k.kind);
}
