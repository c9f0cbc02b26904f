import type { NodeKind } from '../../../shared/graph.js';
import { nodeSpec } from '../../../shared/nodes/index.js';

/** A field's name as a product owner would say it: the kind's own label, else spelled out from its camelCase. */
export function fieldLabel(kind: NodeKind, key: string): string {
  return nodeSpec(kind).labels[key] ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

/** What one item of a list is called, for its heading and its inputs' names ("Test 2 value"). */
export function itemName(kind: NodeKind, key: string): string {
  return nodeSpec(kind).itemNames[key] ?? 'Item';
}
