import type { Action, TerminalAction } from '../decision.js';
import { followChain, walkPaths } from '../graph-walk.js';
import { nodeSpec } from '../nodes/index.js';
import type { ChainedNode } from '../nodes/spec.js';
import type { Condition, Rule } from '../rule-file.js';
import type { CheckedGraph } from './check-graph.js';
import { outputKey } from './check-graph.js';

export interface PathRule {
  terminal: string;
  rule: Omit<Rule, 'name' | 'priority'>;
}

export class RuleLimitExceeded extends Error {}

/** What a path has gathered so far, newest first, shared with its siblings: a long chain is not copied at every step. */
interface Gathered<T> {
  items: readonly T[];
  before: Gathered<T> | null;
}

function gather<T>(list: Gathered<T> | null, items: readonly T[]): Gathered<T> | null {
  return items.length === 0 ? list : { items, before: list };
}

function flatten<T>(list: Gathered<T> | null): T[] {
  const parts: (readonly T[])[] = [];
  for (let at = list; at; at = at.before) parts.push(at.items);
  return parts.reverse().flat();
}

interface PathState {
  conditions: Gathered<Condition> | null;
  actions: Gathered<Action> | null;
  path: Gathered<string> | null;
  edges: Gathered<string> | null;
}

/**
 * Walks every path from the entry to a terminal, in graph order (each node's outputs in the
 * order its spec lists them). Assumes a checked, acyclic graph with every output connected.
 */
export function enumeratePaths(graph: CheckedGraph, limit: number): PathRule[] {
  const rules: PathRule[] = [];
  if (!graph.entry) return rules;
  walkPaths<PathState>({
    start: graph.entry.id,
    state: { conditions: null, actions: null, path: null, edges: null },
    branches: (id, state) => {
      const { node, params, outputs } = graph.nodes.get(id)!;
      const spec = nodeSpec(node.kind);
      if (spec.terminal) return null;
      return outputs.map((handle) => {
        const edge = graph.edgeByOutput.get(outputKey(id, handle.id))!;
        const leave = spec.leave!(params as never, handle.id, node);
        return {
          node: edge.target,
          state: {
            conditions: gather(state.conditions, leave.conditions),
            actions: gather(state.actions, leave.actions as Action[]),
            path: gather(state.path, [id]),
            edges: gather(state.edges, [edge.id]),
          },
        };
      });
    },
    end: (id, state) => {
      const { node, params } = graph.nodes.get(id)!;
      const finalAction = nodeSpec(node.kind).terminal!(params as never, node, chainOf(graph, id)) as TerminalAction;
      if (rules.length >= limit) throw new RuleLimitExceeded();
      rules.push({
        terminal: id,
        rule: {
          conditions: { all: flatten(state.conditions) },
          event: {
            type: 'decision',
            params: { path: [...flatten(state.path), id], edges: flatten(state.edges), actions: [...flatten(state.actions), finalAction] },
          },
        },
      });
    },
  });
  return rules;
}

/** The nodes a terminal's chained output (`onlyTo`, a route's onError) leads through, one after another. */
function chainOf(graph: CheckedGraph, terminalId: string): ChainedNode[] {
  const next = (id: string) => {
    const handle = graph.nodes.get(id)!.outputs.find((h) => h.onlyTo);
    return handle && graph.edgeByOutput.get(outputKey(id, handle.id))?.target;
  };
  return followChain(terminalId, next).map((id) => ({ id, params: graph.nodes.get(id)!.params! }));
}
