import { z } from 'zod';
import { DecisionEventSchema } from './decision.js';
import { GraphSchema, PolicyIdSchema } from './graph.js';
import { TopLevelConditionSchema } from './condition.js';

export * from './condition.js';

export const RuleSchema = z.object({
  name: z.string().min(1),
  priority: z.number().int().min(1),
  conditions: TopLevelConditionSchema,
  event: DecisionEventSchema,
});
export type Rule = z.infer<typeof RuleSchema>;

export const PolicyMetaSchema = z.object({
  id: PolicyIdSchema,
  name: z.string(),
  description: z.string(),
  version: z.number().int(),
  compiledAt: z.string(),
  compiler: z.string(),
});
export type PolicyMeta = z.infer<typeof PolicyMetaSchema>;

/** `rules/<policy-id>.json`: rules load unchanged into `new Engine(rules)`; graph reopens in the editor. */
export const RuleFileSchema = z.object({
  policy: PolicyMetaSchema,
  rules: z.array(RuleSchema),
  graph: GraphSchema,
});
export type RuleFile = z.infer<typeof RuleFileSchema>;

export const COMPILER_ID = 'tollgate-compiler/1';

/** The one serialisation of a rule file: stable key order from the schemas, two-space indent, final newline. */
export function serializeRuleFile(file: RuleFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
