import { z } from 'zod';
import { GraphSettingsSchema } from './capture-settings.js';

/** The node kinds a policy graph may hold; each has one spec in `shared/nodes/`. */
export const NODE_KINDS = [
  'request',
  'condition',
  'switch',
  'split',
  'budget',
  'smartRoute',
  'rateLimit',
  'providerHealth',
  'cache',
  'trim',
  'promptCache',
  'batch',
  'tag',
  'alert',
  'route',
  'degrade',
  'block',
] as const;
export const NodeKindSchema = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof NodeKindSchema>;

/** Ids end up in rule names and HTTP headers, so they stay ASCII and header-safe. */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "-", "_" or "." (starting with a letter or digit)');

/**
 * A policy id names its rule file, URL segment and `x-tollgate-policy` header value, so it is a
 * strict slug: lowercase letters, digits and dashes, starting with a letter or digit.
 */
export const PolicyIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and "-" (starting with a letter or digit)');

/**
 * The largest graph anyone can save, compile, simulate, import or publish through the API: far
 * above any policy a person draws, low enough that a request's work stays cheap. Checked with
 * `graphSizeProblem` before any parse; editor and server read the same numbers.
 */
export const GRAPH_LIMITS = { nodes: 2_000, edges: 2_000 } as const;

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

/**
 * A node keeps its params loosely typed here: the editor must be able to hold a half-filled
 * node while the product owner types. The compiler validates params against the kind's spec
 * and reports failures as diagnostics on the node and field.
 */
export const GraphNodeSchema = z.object({
  id: IdSchema,
  kind: NodeKindSchema,
  label: z.string().max(120).default(''),
  position: PositionSchema.default({ x: 0, y: 0 }),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphEdgeSchema = z.object({
  /** Editors name edges `<source>.<handle>`, so an edge id may be longer than a node id. */
  id: z
    .string()
    .min(1, 'must not be empty')
    .max(160, 'must be at most 160 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "-", "_" or "."'),
  source: IdSchema,
  sourceHandle: z.string().min(1),
  target: IdSchema,
});
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

export const GraphSchema = z.object({
  id: PolicyIdSchema,
  name: z.string().min(1).max(120),
  description: z.string().max(2000).default(''),
  version: z.number().int().min(1).default(1),
  /** Set when a version is saved or published; becomes the rule file's compiledAt so compiles are byte-stable. */
  updatedAt: z.iso.datetime().default('1970-01-01T00:00:00.000Z'),
  // No size limit here: the compiler and the editor's walks handle any size (test/compiler/deep-graphs);
  // GRAPH_LIMITS is enforced where graphs come in from outside, before this schema runs.
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema).default([]),
  settings: GraphSettingsSchema.optional(),
});
export type Graph = z.infer<typeof GraphSchema>;
export type GraphInput = z.input<typeof GraphSchema>;

/**
 * Checks a graph's size before anything parses or walks it (the input may be any JSON). Returns
 * the field and a sentence when it is over a limit, null otherwise.
 */
export function graphSizeProblem(raw: unknown): { field: 'nodes' | 'edges'; count: number; limit: number; message: string } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  for (const field of ['nodes', 'edges'] as const) {
    const list = (raw as Record<string, unknown>)[field];
    const limit = GRAPH_LIMITS[field];
    if (Array.isArray(list) && list.length > limit) {
      return { field, count: list.length, limit, message: `The graph has ${list.length} ${field}; the limit is ${limit}` };
    }
  }
  return null;
}
