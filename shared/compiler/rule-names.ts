import type { GraphNode } from '../graph.js';

const MAX_SLUG = 48;

/** A label as a name for headers and the ledger: lower case ASCII words joined by "-" ("Cheap model" → "cheap-model"). */
export function slugify(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '');
}

/**
 * Each terminal node's rule name: the slug of its label, or its id when the label has no
 * letters or digits. Clashes are numbered in graph order ("route", "route-2"), so the same
 * graph always gets the same names, and ids never show where a label was given.
 */
export function terminalNames(terminals: readonly Pick<GraphNode, 'id' | 'label'>[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of terminals) {
    const base = slugify(node.label) || node.id;
    let name = base;
    for (let i = 2; taken.has(name); i += 1) name = `${base}-${i}`;
    taken.add(name);
    names.set(node.id, name);
  }
  return names;
}
