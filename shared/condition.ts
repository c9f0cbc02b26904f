import { z } from 'zod';
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
