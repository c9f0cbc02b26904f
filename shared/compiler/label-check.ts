import type { GraphNode } from '../graph.js';
import type { NodeSpec } from '../nodes/spec.js';
import { diag, type Diagnostic } from '../diagnostics.js';

/** A figure a label may state, and the params it must then agree with (by field-name suffix: `limitUsd`, `thresholdPct`). */
const FIGURES = [
  { pattern: /\$\s?(\d+(?:\.\d+)?)(k?)/gi, suffix: 'Usd', show: (n: number) => `$${n}` },
  { pattern: /(\d+(?:\.\d+)?)()\s?%/g, suffix: 'Pct', show: (n: number) => `${n}%` },
] as const;

function statedIn(label: string, pattern: RegExp): number[] {
  return [...label.matchAll(pattern)].map((m) => Number(m[1]) * (m[2] ? 1000 : 1));
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/**
 * Labels that state money or a percentage the settings no longer say ("$5/day" after the
 * limit became $6): a warning, since the label is what an owner reads on the canvas. A label
 * is fine when every figure it states is one of the node's figures of that unit.
 */
export function labelContradictions(node: Pick<GraphNode, 'id' | 'label'>, params: Record<string, unknown>, spec: Pick<NodeSpec, 'labels'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const figure of FIGURES) {
    const stated = statedIn(node.label, figure.pattern);
    if (stated.length === 0) continue;
    const fields = Object.entries(params).filter((e): e is [string, number] => e[0].endsWith(figure.suffix) && typeof e[1] === 'number');
    if (fields.length === 0) continue;
    const wrong = stated.find((n) => !fields.some(([, value]) => same(value, n)));
    if (wrong === undefined) continue;
    const [field, value] = fields[0]!;
    out.push(diag.labelContradicts(node.id, field, { said: figure.show(wrong), setting: spec.labels[field] ?? field, actual: figure.show(value) }));
  }
  return out;
}
