import type { z } from 'zod';
import type { Action, TerminalAction } from '../decision.js';
import type { GraphNode, NodeKind } from '../graph.js';
import type { Condition } from '../rule-file.js';

export interface OutputHandle {
  id: string;
  label: string;
  /** An optional output may stay unconnected (a route's onError). */
  optional?: boolean;
}

/** What a path picks up when it leaves a node through one of its outputs. */
export interface Leave {
  conditions: Condition[];
  actions: Action[];
}

export type NodeCategory = 'entry' | 'branch' | 'step' | 'terminal';

/**
 * Everything about one node kind: palette entry, params schema with defaults, outputs, the
 * summary line the canvas shows, and how it compiles. The editor renders from it and the
 * compiler reads it, so adding a kind means one spec here, one renderer, one executor.
 */
export interface NodeSpec<S extends z.ZodType = z.ZodType> {
  kind: NodeKind;
  title: string;
  description: string;
  category: NodeCategory;
  /** Accent colour in the editor. */
  color: string;
  /** A short glyph for the palette and the node header. */
  icon: string;
  params: S;
  outputs(params: z.output<S>): OutputHandle[];
  summary(params: z.output<S>): string;
  /** Branch and step kinds: the conditions and actions of the path leaving through `handle`. */
  leave?(params: z.output<S>, handle: string, node: GraphNode): Leave;
  /** Terminal kinds: the action that ends the path (a route's fallbacks are filled in by the compiler). */
  terminal?(params: z.output<S>, node: GraphNode): TerminalAction;
  /** A line the inspector shows under the settings, e.g. what a setting is measured to give. */
  note?(params: z.output<S>): string;
  /** Models named by the params, checked against the pricing table. */
  models?(params: z.output<S>): { field: string; model: string }[];
}

export function defineNode<S extends z.ZodType>(spec: NodeSpec<S>): NodeSpec<S> {
  return spec;
}

export const NO_LEAVE: Leave = { conditions: [], actions: [] };
