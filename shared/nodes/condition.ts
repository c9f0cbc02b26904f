import { z } from 'zod';
import type { Condition } from '../condition.js';
import { checkFactTest, describeTest, FACT_TEST_LABELS, FactTestSchema, testToCondition } from './fact-test.js';
import { defineNode } from './spec.js';

export const ConditionParamsSchema = z
  .object({
    match: z.enum(['all', 'any']).default('all'),
    tests: z.array(FactTestSchema).min(1, 'add at least one test').default([
      { fact: 'promptTokens', operator: 'greaterThan', value: 2000 },
    ]),
  })
  .superRefine((p, ctx) => p.tests.forEach((t, i) => checkFactTest(t, ctx, ['tests', i])));

export const conditionNode = defineNode({
  kind: 'condition',
  title: 'Condition',
  description: 'Tests facts of the request; requests that pass take "true", the rest "false".',
  category: 'branch',
  color: '#2563eb',
  icon: '◇',
  params: ConditionParamsSchema,
  outputs: () => [
    { id: 'true', label: 'true' },
    { id: 'false', label: 'false' },
  ],
  summary: (p) => p.tests.map(describeTest).join(p.match === 'all' ? ' and ' : ' or '),
  labels: { match: 'Pass when', tests: 'Tests', ...FACT_TEST_LABELS },
  itemNames: { tests: 'Test' },
  action: null,
  fact: null,
  leave: (p, handle) => {
    const tests: Condition[] = p.tests.map(testToCondition);
    const group: Condition = p.match === 'all' ? { all: tests } : { any: tests };
    if (handle === 'true') return { conditions: p.match === 'all' ? tests : [group], actions: [] };
    return { conditions: [{ not: group }], actions: [] };
  },
});
