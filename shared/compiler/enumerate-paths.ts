import type { Action, RouteTarget, TerminalAction } from '../decision.js';
import { NODE_SPECS } from '../nodes/index.js';
import type { Condition, Rule } from '../rule-file.js';
import type { CheckedGraph } from './check-graph.js';
import { outputKey } from './check-graph.js';

export interface PathRule {
  terminal: string;
  rule: Omit<Rule, 'name' | 'priority'>;
}

export class RuleLimitExceeded extends Error {}

/**
 * Walks every path from the entry to a terminal, in graph order (each node's outputs in the
 * order its spec lists them). Assumes a checked, acyclic graph with every output connected.
 */
export function enumeratePaths(graph: CheckedGraph, limit: number): PathRule[] {
  const rules: PathRule[] = [];
  const walk = (id: string, conditions: Condition[], actions: Action[], path: string[], edges: string[]) => {
    const { node, params, outputs } = graph.nodes.get(id)!;
    const spec = NODE_SPECS[node.kind];
    if (spec.terminal) {
      const terminal = spec.terminal(params!, node);
      const finalAction: TerminalAction = terminal.type === 'route' ? { ...terminal, fallbacks: fallbackChain(graph, id) } : terminal;
      if (rules.length >= limit) throw new RuleLimitExceeded();
      rules.push({
        terminal: id,
        rule: {
          conditions: { all: conditions },
          event: { type: 'decision', params: { path: [...path, id], edges, actions: [...actions, finalAction] } },
        },
      });
      return;
    }
    for (const handle of outputs) {
      const edge = graph.edgeByOutput.get(outputKey(id, handle.id))!;
      const leave = spec.leave!(params!, handle.id, node);
      walk(edge.target, [...conditions, ...leave.conditions], [...actions, ...leave.actions], [...path, id], [...edges, edge.id]);
    }
  };
  if (graph.entry) walk(graph.entry.id, [], [], [], []);
  return rules;
}

function fallbackChain(graph: CheckedGraph, routeId: string): RouteTarget[] {
  const chain: RouteTarget[] = [];
  let edge = graph.edgeByOutput.get(outputKey(routeId, 'onError'));
  while (edge) {
    const { node, params } = graph.nodes.get(edge.target)!;
    const p = params as { model: string; provider: RouteTarget['provider']; timeoutMs: number; retries: number; backoffMs: number };
    chain.push({ node: node.id, model: p.model, provider: p.provider, timeoutMs: p.timeoutMs, retries: p.retries, backoffMs: p.backoffMs });
    edge = graph.edgeByOutput.get(outputKey(node.id, 'onError'));
  }
  return chain;
}
