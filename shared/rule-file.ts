import { z } from 'zod';
import { DecisionEventSchema } from './decision.js';
import { GraphSchema, PolicyIdSchema } from './graph.js';
import { OperatorSchema } from './operators.js';

/** json-rules-engine's condition JSON, restricted to what Tollgate emits and evaluates. */
export type FactCondition = {
  fact: string;
  operator: z.infer<typeof OperatorSchema>;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
};
export type Condition = FactCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type TopLevelCondition = { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const FactConditionSchema = z.object({
  fact: z.string().min(1),
  operator: OperatorSchema,
  value: z.unknown(),
  path: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    FactConditionSchema as z.ZodType<FactCondition>,
    z.object({ all: z.array(ConditionSchema) }),
    z.object({ any: z.array(ConditionSchema) }),
    z.object({ not: ConditionSchema }),
  ]),
);
export const TopLevelConditionSchema: z.ZodType<TopLevelCondition> = z.union([
  z.object({ all: z.array(ConditionSchema) }),
  z.object({ any: z.array(ConditionSchema) }),
  z.object({ not: ConditionSchema }),
]);

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
