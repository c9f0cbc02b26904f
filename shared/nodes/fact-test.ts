import { z } from 'zod';
import { factInfo, OPERATORS_BY_TYPE, tagPath, TagKeySchema, TestableFactSchema } from '../facts.js';
import { LIST_OPERATORS, OPERATOR_LABELS, OperatorSchema } from '../operators.js';
import type { FactCondition } from '../condition.js';

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);
export const TestValueSchema = z.union([ScalarSchema, z.array(z.union([z.string(), z.number()]))]);

/** One test of a fact, as a condition or switch node holds it. */
export const FactTestSchema = z.object({
  fact: TestableFactSchema,
  /** For `tags`: the tag key to test. */
  path: z.string().optional(),
  operator: OperatorSchema,
  value: TestValueSchema,
});
export type FactTest = z.infer<typeof FactTestSchema>;

/** Checks that fact, path, operator and value fit together; issues name the field they are about. */
export function checkFactTest(test: FactTest, ctx: z.RefinementCtx, at: (string | number)[]): void {
  const info = factInfo(test.fact);
  if (!info) return;
  if (info.type === 'tags') {
    const key = TagKeySchema.safeParse(test.path ?? '');
    if (!key.success) ctx.addIssue({ code: 'custom', path: [...at, 'path'], message: 'name the tag key to test (team, feature...)' });
  }
  if (!OPERATORS_BY_TYPE[info.type].includes(test.operator)) {
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'operator'],
      message: `"${OPERATOR_LABELS[test.operator]}" does not apply to ${info.label.toLowerCase()}`,
    });
    return;
  }
  const values = LIST_OPERATORS.has(test.operator) ? test.value : [test.value];
  if (!Array.isArray(values) || (LIST_OPERATORS.has(test.operator) && values.length === 0)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'value'], message: `"${OPERATOR_LABELS[test.operator]}" needs a list of values` });
    return;
  }
  if (values.some((v) => typeof v === 'string' && v.trim() === '')) {
    ctx.addIssue({ code: 'custom', path: [...at, 'value'], message: 'enter a value to compare with' });
    return;
  }
  const expected = info.type === 'tags' ? 'string' : info.type;
  if (!values.every((v) => typeof v === expected)) {
    ctx.addIssue({ code: 'custom', path: [...at, 'value'], message: `expected ${expected === 'string' ? 'text' : `a ${expected}`}` });
  }
}

/** Inspector labels of a test's fields. */
export const FACT_TEST_LABELS = { path: 'Tag key', fact: 'Fact', operator: 'Operator', value: 'Value' };

export function testToCondition(test: FactTest): FactCondition {
  const condition: FactCondition = { fact: test.fact, operator: test.operator, value: test.value };
  if (test.fact === 'tags' && test.path) condition.path = tagPath(test.path);
  return condition;
}

export function describeTest(test: Pick<FactTest, 'fact' | 'path' | 'operator' | 'value'>): string {
  const subject = test.fact === 'tags' ? `${test.path ?? '?'}` : test.fact;
  const value = Array.isArray(test.value) ? `[${test.value.join(', ')}]` : String(test.value);
  return `${subject} ${OPERATOR_LABELS[test.operator]} ${value}`;
}
