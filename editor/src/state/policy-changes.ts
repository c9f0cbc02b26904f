import type { Graph } from '../../../shared/graph.js';

/** What a publish would change: the graph without its version and timestamp, which every publish sets anew. */
const essence = (graph: Graph) => JSON.stringify({ ...graph, version: 0, updatedAt: '' });

/** Whether publishing this graph would make a version that differs from the live one (always, when nothing is live). */
export function hasChangesToPublish(graph: Graph, live: Graph | null): boolean {
  return live === null || essence(graph) !== essence(live);
}

/** A copy of a policy under a new id and name, to start version 1 of its own ("Save as", "Duplicate"). */
export function copyPolicy(graph: Graph, id: string, name: string): Graph {
  return { ...structuredClone(graph), id, name, version: 1, updatedAt: '1970-01-01T00:00:00.000Z' };
}
