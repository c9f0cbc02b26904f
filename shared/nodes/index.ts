import type { NodeKind } from '../graph.js';
import { alertNode } from './alert.js';
import { blockNode } from './block.js';
import { budgetNode } from './budget.js';
import { cacheNode } from './cache.js';
import { conditionNode } from './condition.js';
import { degradeNode } from './degrade.js';
import { rateLimitNode } from './rate-limit.js';
import { requestNode } from './request.js';
import { routeNode } from './route.js';
import { smartRouteNode } from './smart-route.js';
import type { NodeSpec } from './spec.js';
import { splitNode } from './split.js';
import { switchNode } from './switch.js';
import { tagNode } from './tag.js';
import { trimNode } from './trim.js';

/** Every node kind, in palette order. */
export const NODE_SPECS: Record<NodeKind, NodeSpec> = {
  request: requestNode,
  condition: conditionNode,
  switch: switchNode,
  split: splitNode,
  budget: budgetNode,
  smartRoute: smartRouteNode,
  rateLimit: rateLimitNode,
  cache: cacheNode,
  trim: trimNode,
  tag: tagNode,
  alert: alertNode,
  route: routeNode,
  degrade: degradeNode,
  block: blockNode,
} as Record<NodeKind, NodeSpec>;

export function nodeSpec(kind: NodeKind): NodeSpec {
  return NODE_SPECS[kind];
}

/** Params filled with every default, for a node freshly dropped on the canvas. */
export function defaultParams(kind: NodeKind): Record<string, unknown> {
  return NODE_SPECS[kind].params.parse({}) as Record<string, unknown>;
}

export type { NodeSpec, OutputHandle, Leave, NodeCategory } from './spec.js';
export { REQUESTED_MODEL, describeRoute } from './route.js';
export { caseHandle } from './switch.js';
export { branchHandle } from './split.js';
