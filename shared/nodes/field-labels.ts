import type { NodeKind } from '../graph.js';
import { nodeSpec } from './index.js';

/** A field's name as a product owner would say it: the kind's own label, else spelled out from its camelCase. */
export function fieldLabel(kind: NodeKind, key: string): string {
  return nodeSpec(kind).labels[key] ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

/** What one item of a list is called, for its heading and its inputs' names ("Test 2 value"). */
export function itemName(kind: NodeKind, key: string): string {
  return nodeSpec(kind).itemNames[key] ?? 'Item';
}

/**
 * A param path ("limitUsd", "tests.1.value") as the inspector names its input ("Limit (USD)",
 * "Test 2 value"), so a problem message names the field the owner sees, not its JSON key.
 */
export function fieldPathLabel(kind: NodeKind, path: string): string {
  const parts = path.split('.');
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const index = parts[i + 1];
    if (index !== undefined && /^\d+$/.test(index)) {
      words.push(`${itemName(kind, part)} ${Number(index) + 1}`);
      i++;
    } else {
      const label = fieldLabel(kind, part);
      words.push(words.length > 0 ? label.toLowerCase() : label);
    }
  }
  return words.join(' ');
}
