import type { NodeKind } from '../graph.js';
import { alertNode } from './alert.js';
import { batchNode } from './batch.js';
import { blockNode } from './block.js';
import { budgetNode } from './budget.js';
import { cacheNode } from './cache.js';
import { conditionNode } from './condition.js';
import { degradeNode } from './degrade.js';
import { promptCacheNode } from './prompt-cache.js';
import { providerHealthNode } from './provider-health.js';
import { rateLimitNode } from './rate-limit.js';
import { requestNode } from './request.js';
import { routeNode } from './route.js';
import { smartRouteNode } from './smart-route.js';
import type { ActionSpec, DynamicFactSpec, NodeSpec } from './spec.js';
import { splitNode } from './split.js';
import { switchNode } from './switch.js';
import { tagNode } from './tag.js';
import { trimNode } from './trim.js';

/** Every node kind, in palette order. Each entry must be the spec of the kind it is filed under. */
export const NODE_SPECS = {
  request: requestNode,
  condition: conditionNode,
  switch: switchNode,
  split: splitNode,
  budget: budgetNode,
  smartRoute: smartRouteNode,
  rateLimit: rateLimitNode,
  providerHealth: providerHealthNode,
  cache: cacheNode,
  trim: trimNode,
  promptCache: promptCacheNode,
  batch: batchNode,
  tag: tagNode,
  alert: alertNode,
  route: routeNode,
  degrade: degradeNode,
  block: blockNode,
} satisfies { [K in NodeKind]: NodeSpec & { kind: K } };

export type NodeSpecs = typeof NODE_SPECS;

/** A kind's spec with its params, action and fact types forgotten, for code that handles every kind alike. */
export function nodeSpec(kind: NodeKind): NodeSpec {
  return NODE_SPECS[kind] as NodeSpec;
}

const KIND_OF_ACTION: ReadonlyMap<string, NodeKind> = new Map(
  Object.values(NODE_SPECS).flatMap((spec): [string, NodeKind][] => (spec.action ? [[spec.action.type, spec.kind]] : [])),
);

/** The kind whose spec declares an action type (`countRate` is the rate limit's). */
export function actionKind(type: string): NodeKind {
  const kind = KIND_OF_ACTION.get(type);
  if (!kind) throw new Error(`no node kind declares the action "${type}"`);
  return kind;
}

/** The spec of an action type, for describing a decision. */
export function actionSpec(type: string): ActionSpec | undefined {
  const kind = KIND_OF_ACTION.get(type);
  return kind ? (nodeSpec(kind).action ?? undefined) : undefined;
}

/** The dynamic facts the kinds declare, each once. */
export function dynamicFactSpecs(): DynamicFactSpec[] {
  const specs = Object.values(NODE_SPECS).flatMap((spec): DynamicFactSpec[] => (spec.fact ? [spec.fact as DynamicFactSpec] : []));
  return [...new Map(specs.map((f) => [f.name, f])).values()];
}

/** Whether requests enter the policy at this kind (the Request node): exactly one per graph, nothing leads into it. */
export function isEntry(kind: NodeKind): boolean {
  return nodeSpec(kind).category === 'entry';
}

/** Params filled with every default, for a node freshly dropped on the canvas. */
export function defaultParams(kind: NodeKind): Record<string, unknown> {
  return nodeSpec(kind).params.parse({}) as Record<string, unknown>;
}

export type { ActionOf, ActionSpec, DynamicFactSpec, NodeSpec, OutputHandle, Leave, NodeCategory } from './spec.js';
export { REQUESTED_MODEL, describeRoute } from './route.js';
export { caseHandle } from './switch.js';
export { branchHandle } from './split.js';
