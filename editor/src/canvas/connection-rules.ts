import type { Graph } from '../../../shared/graph.js';
import { reaches, successorsOf } from '../../../shared/graph-walk.js';
import { nodeSpec } from '../../../shared/nodes/index.js';
import { nodeOutputs } from './node-view.js';

export interface Candidate {
  source: string | null;
  sourceHandle: string | null;
  target: string | null;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * The rules a connection must pass while it is being dragged, so an illegal graph cannot be
 * drawn in the first place: nothing enters the Request node, no loops, a route's onError leads
 * only to another route. An output that already has an edge may be re-connected (the old edge goes).
 */
export function checkConnection(graph: Graph, c: Candidate): Verdict {
  if (!c.source || !c.target || !c.sourceHandle) return { ok: false, reason: 'incomplete connection' };
  if (c.source === c.target) return { ok: false, reason: 'a node cannot lead to itself' };
  const source = graph.nodes.find((n) => n.id === c.source);
  const target = graph.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: 'unknown node' };
  const output = nodeOutputs(source).find((o) => o.id === c.sourceHandle);
  if (!output) return { ok: false, reason: `${source.id} has no output "${c.sourceHandle}"` };
  if (nodeSpec(target.kind).category === 'entry') return { ok: false, reason: `nothing may lead into the ${nodeSpec(target.kind).title} node` };
  if (output.onlyTo && target.kind !== output.onlyTo) return { ok: false, reason: `${output.label} leads only to another ${nodeSpec(output.onlyTo).title}` };
  const others = graph.edges.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle));
  // The edge closes a loop when its target already reaches its source.
  if (reaches(c.target, c.source, successorsOf(others))) return { ok: false, reason: 'this would make a loop' };
  return { ok: true };
}
