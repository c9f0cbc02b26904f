import type { Graph, GraphEdge, GraphNode } from './graph.js';
import type { Rule, RuleFile } from './rule-file.js';

/** One leaf that differs between two params objects; `path` is dotted like diagnostics' fields (`tests.0.value`). */
export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeChange {
  id: string;
  kind: GraphNode['kind'];
  label: string;
  kindChange?: { before: GraphNode['kind']; after: GraphNode['kind'] };
  labelChange?: { before: string; after: string };
  params: ValueChange[];
}

export interface RuleChange {
  name: string;
  priority?: { before: number; after: number };
  conditionsChanged: boolean;
  actionsChanged: boolean;
  pathChanged: boolean;
}

export interface GraphDiff {
  nodes: { added: GraphNode[]; removed: GraphNode[]; changed: NodeChange[]; moved: string[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[] };
  meta: ValueChange[];
}

export interface RuleFileDiff extends GraphDiff {
  versions: { before: number; after: number };
  rules: { added: string[]; removed: string[]; changed: RuleChange[] };
}

/** Leaf-level differences of two JSON values; objects by key, arrays by index. */
export function diffValues(before: unknown, after: unknown, prefix = ''): ValueChange[] {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = Array.isArray(before)
      ? Array.from({ length: Math.max(before.length, (after as unknown[]).length) }, (_, i) => String(i))
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      diffValues((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], prefix ? `${prefix}.${key}` : key),
    );
  }
  return jsonEqual(before, after) ? [] : [{ path: prefix, before, after }];
}

export function diffGraphs(a: Graph, b: Graph): GraphDiff {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  const after = new Map(b.nodes.map((n) => [n.id, n]));
  const changed: NodeChange[] = [];
  const moved: string[] = [];
  for (const node of b.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const change: NodeChange = { id: node.id, kind: node.kind, label: node.label, params: diffValues(old.params, node.params) };
    if (old.kind !== node.kind) change.kindChange = { before: old.kind, after: node.kind };
    if (old.label !== node.label) change.labelChange = { before: old.label, after: node.label };
    if (change.kindChange || change.labelChange || change.params.length > 0) changed.push(change);
    else if (!jsonEqual(old.position, node.position)) moved.push(node.id);
  }
  // An edge is its whole content: the same id pointing elsewhere is one removal and one addition.
  const edgeKey = (e: GraphEdge) => `${e.id}\u0000${e.source}\u0000${e.sourceHandle}\u0000${e.target}`;
  const edgesBefore = new Set(a.edges.map(edgeKey));
  const edgesAfter = new Set(b.edges.map(edgeKey));
  return {
    nodes: {
      added: b.nodes.filter((n) => !before.has(n.id)),
      removed: a.nodes.filter((n) => !after.has(n.id)),
      changed,
      moved,
    },
    edges: {
      added: b.edges.filter((e) => !edgesBefore.has(edgeKey(e))),
      removed: a.edges.filter((e) => !edgesAfter.has(edgeKey(e))),
    },
    meta: diffValues({ id: a.id, name: a.name, description: a.description }, { id: b.id, name: b.name, description: b.description }),
  };
}

function diffRules(a: Rule[], b: Rule[]): RuleFileDiff['rules'] {
  const before = new Map(a.map((r) => [r.name, r]));
  const after = new Map(b.map((r) => [r.name, r]));
  const changed: RuleChange[] = [];
  for (const rule of b) {
    const old = before.get(rule.name);
    if (!old) continue;
    const change: RuleChange = {
      name: rule.name,
      conditionsChanged: !jsonEqual(old.conditions, rule.conditions),
      actionsChanged: !jsonEqual(old.event.params.actions, rule.event.params.actions),
      pathChanged: !jsonEqual([old.event.params.path, old.event.params.edges], [rule.event.params.path, rule.event.params.edges]),
    };
    if (old.priority !== rule.priority) change.priority = { before: old.priority, after: rule.priority };
    if (change.priority || change.conditionsChanged || change.actionsChanged || change.pathChanged) changed.push(change);
  }
  return {
    added: b.filter((r) => !before.has(r.name)).map((r) => r.name),
    removed: a.filter((r) => !after.has(r.name)).map((r) => r.name),
    changed,
  };
}

/** What changed from rule file `a` to rule file `b`: the graph's nodes, params and edges, and the compiled rules. */
export function diffRuleFiles(a: RuleFile, b: RuleFile): RuleFileDiff {
  return {
    ...diffGraphs(a.graph, b.graph),
    versions: { before: a.policy.version, after: b.policy.version },
    rules: diffRules(a.rules, b.rules),
  };
}

export function isEmptyDiff(d: GraphDiff & Partial<Pick<RuleFileDiff, 'rules'>>): boolean {
  const rules = d.rules ? d.rules.added.length + d.rules.removed.length + d.rules.changed.length : 0;
  return (
    d.nodes.added.length + d.nodes.removed.length + d.nodes.changed.length + d.edges.added.length + d.edges.removed.length + d.meta.length + rules ===
    0
  );
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/** Structural equality that ignores key order, as JSON files on disk may differ in it. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEqual(v, (b as unknown[])[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], (b as Record<string, unknown>)[k]));
}
