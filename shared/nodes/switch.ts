import { z } from 'zod';
import { TestableFactSchema } from '../facts.js';
import { OperatorSchema } from '../operators.js';
import type { Condition } from '../condition.js';
import { checkFactTest, describeTest, FACT_TEST_LABELS, TestValueSchema, testToCondition } from './fact-test.js';
import { defineNode } from './spec.js';

const CaseSchema = z.object({
  operator: OperatorSchema.default('equal'),
  value: TestValueSchema,
  label: z.string().max(40).default(''),
});

export const SwitchParamsSchema = z
  .object({
    fact: TestableFactSchema.default('complexity'),
    path: z.string().optional(),
    cases: z
      .array(CaseSchema)
      .min(1, 'add at least one case')
      .max(20, 'at most 20 cases')
      .default([
        { operator: 'equal', value: 'simple', label: 'simple' },
        { operator: 'equal', value: 'complex', label: 'complex' },
      ]),
  })
  .superRefine((p, ctx) => p.cases.forEach((c, i) => checkFactTest({ fact: p.fact, path: p.path, ...c }, ctx, ['cases', i])));
type SwitchParams = z.output<typeof SwitchParamsSchema>;

function caseCondition(p: SwitchParams, index: number): Condition {
  const c = p.cases[index]!;
  return testToCondition({ fact: p.fact, path: p.path, operator: c.operator, value: c.value });
}

export const caseHandle = (index: number) => `case${index}`;

export const switchNode = defineNode({
  kind: 'switch',
  title: 'Switch',
  description: 'Sends a request down the first case its fact matches, or "default".',
  category: 'branch',
  color: '#7c3aed',
  icon: '⇉',
  params: SwitchParamsSchema,
  outputs: (p) => [
    ...p.cases.map((c, i) => ({ id: caseHandle(i), label: c.label || describeTest({ fact: p.fact, path: p.path, ...c }) })),
    { id: 'default', label: 'default' },
  ],
  summary: (p) => `switch on ${p.fact === 'tags' ? `tag ${p.path ?? '?'}` : p.fact}, ${p.cases.length} case${p.cases.length === 1 ? '' : 's'}`,
  labels: { cases: 'Cases', ...FACT_TEST_LABELS },
  itemNames: { cases: 'Case' },
  action: null,
  fact: null,
  // First matching case wins: case i also requires that no earlier case matched.
  leave: (p, handle) => {
    const index = handle === 'default' ? p.cases.length : Number(handle.slice('case'.length));
    const earlier = Array.from({ length: index }, (_, i) => caseCondition(p, i));
    const conditions: Condition[] = index < p.cases.length ? [caseCondition(p, index)] : [];
    if (earlier.length > 0) conditions.push({ not: { any: earlier } });
    return { conditions, actions: [] };
  },
});
