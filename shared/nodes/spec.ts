import { z } from 'zod';
import type { DynamicFactName } from '../facts.js';
import type { GraphNode, NodeKind } from '../graph.js';
import type { Condition } from '../condition.js';

export interface OutputHandle {
  id: string;
  label: string;
  /** An optional output may stay unconnected (a route's onError). */
  optional?: boolean;
  /** The only kind this output may lead to (a route's onError leads to another route). */
  onlyTo?: NodeKind;
}

/** What a path picks up when it leaves a node through one of its outputs. */
export interface Leave<A = unknown> {
  conditions: Condition[];
  actions: A[];
}

/** Today's spend against the limit per scope, the response cache's hit rate, or requests and cost. */
export type LiveFigure = 'spend' | 'hitRate' | 'traffic';

export type NodeCategory = 'entry' | 'branch' | 'step' | 'terminal';

/** The action a kind puts on a rule's event: its schema derived from the params, and how the decision view says it. */
export interface ActionSpec<A extends z.ZodType = z.ZodType> {
  /** The action's `type`, which may differ from the kind (a rate limit counts with `countRate`). */
  type: string;
  schema: A;
  describe(action: z.output<A>): string;
}

/** A fact the runtime computes only when a rule on the path asks for it, and the params each condition passes it. */
export interface DynamicFactSpec<P extends z.ZodType = z.ZodType> {
  name: DynamicFactName;
  params: P;
  /** What the fact's value may be (the simulator lets a product owner pretend one). */
  value: z.ZodType;
}

/** Branch, step and entry kinds compile to what a path picks up through each output. */
export interface LeaveCompile<P, A> {
  leave(params: P, handle: string, node: GraphNode): Leave<A>;
  terminal?: undefined;
}
/** A node reached through a terminal's chained output (a route's onError), with its checked params. */
export interface ChainedNode {
  id: string;
  params: Record<string, unknown>;
}

/** Terminal kinds compile to the action that ends the path; `chain` lists the nodes its `onlyTo` output leads through, in order. */
export interface TerminalCompile<P, A> {
  terminal(params: P, node: GraphNode, chain: ChainedNode[]): A;
  leave?: undefined;
}

/** Method syntax keeps the params parameter bivariant, as `outputs` and `summary` are, so every spec fits NodeSpec. */
type FieldTest<P> = { test(params: P): boolean }['test'];

/** The action type a kind's action spec describes, or never for kinds without one. */
export type ActionOf<A> = A extends ActionSpec<infer S> ? z.output<S> : never;

/**
 * Everything about one node kind: palette entry, params schema with defaults, outputs, the
 * summary line the canvas shows, how it compiles, its action and dynamic fact, and the names
 * of its fields. The editor and the compiler read only this; the server adds one executor
 * per kind (server/kinds/). Every piece is required, `null` where a kind has none, so a
 * kind that forgets one fails the type check.
 */
export type NodeSpec<
  S extends z.ZodType = z.ZodType,
  A extends ActionSpec | null = ActionSpec | null,
  F extends DynamicFactSpec | null = DynamicFactSpec | null,
  K extends NodeKind = NodeKind,
  C extends NodeCategory = NodeCategory,
> = {
  kind: K;
  title: string;
  description: string;
  category: C;
  /** Accent colour in the editor. */
  color: string;
  /** A short glyph for the palette and the node header, from a block every common system font carries (DejaVu on Linux has no ⧗ or ⎘: they drew as empty boxes). */
  icon: string;
  params: S;
  outputs(params: z.output<S>): OutputHandle[];
  summary(params: z.output<S>): string;
  /** Inspector labels of the params' fields (nested ones too), as a product owner says them; unlisted ones are spelled out. */
  labels: Record<string, string>;
  /** What one item of a list field is called ("Test 2 value"). */
  itemNames: Record<string, string>;
  /** A line the inspector shows under the settings, e.g. what a setting is measured to give. */
  note?(params: z.output<S>): string;
  action: A;
  fact: F;
  /** Models named by the params, checked against the pricing table. */
  models?(params: z.output<S>): { field: string; model: string }[];
  /**
   * Fields that matter only for some settings (a cache's similarity in semantic mode): the
   * inspector shows such a field only while its test passes. Unlisted fields always show.
   */
  visibleWhen?: Partial<Record<keyof z.output<S> & string, FieldTest<z.output<S>>>>;
  /** Follows an edit with the fields that depend on it (a default message that suits the new mode); the editor calls it on every params edit. */
  adapt?(next: z.output<S>, previous: z.output<S>): z.output<S>;
  /** One sentence for the inspector saying what the settings mean ("each team's own daily budget of $5"). */
  explain?(params: z.output<S>): string;
  /** The live figure the canvas shows on the node while the published version is open (see shared/live-stats.ts). */
  live?: LiveFigure;
} & (C extends 'terminal' ? TerminalCompile<z.output<S>, ActionOf<A>> : LeaveCompile<z.output<S>, ActionOf<A>>);

export function defineNode<S extends z.ZodType, A extends ActionSpec | null, F extends DynamicFactSpec | null, K extends NodeKind, C extends NodeCategory>(
  spec: NodeSpec<S, A, F, K, C>,
): NodeSpec<S, A, F, K, C> {
  return spec;
}

export function defineAction<S extends z.ZodType>(spec: ActionSpec<S>): ActionSpec<S> {
  return spec;
}

export function defineFact<P extends z.ZodType>(spec: DynamicFactSpec<P>): DynamicFactSpec<P> {
  return spec;
}

export const NO_LEAVE: Leave<never> = { conditions: [], actions: [] };

/** An action's schema from the params it copies: `{type, node, ...params}`, in that key order (rule files keep it). */
export function actionSchema<T extends string, P extends z.ZodRawShape>(type: T, params: z.ZodObject<P>) {
  return z.object({ type: z.literal(type), node: z.string(), ...params.shape });
}
