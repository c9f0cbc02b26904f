import { z } from 'zod';
import { ProviderNameSchema } from '../providers.js';
import { defineFact, defineNode } from './spec.js';

export const ProviderHealthParamsSchema = z.object({
  provider: ProviderNameSchema.default('openai'),
  model: z.string().min(1, 'pick a model').default('gpt-4o'),
});

/** The `providerHealthy` fact: whether the provider and model's circuit breaker lets a request through. */
export const HealthFactParamsSchema = ProviderHealthParamsSchema;
export type HealthFactParams = z.output<typeof HealthFactParamsSchema>;

export const providerHealthNode = defineNode({
  kind: 'providerHealth',
  title: 'Provider health',
  description: 'Checks the circuit breaker of a provider and model: "healthy" while it answers, "unhealthy" after repeated failures, until a probe succeeds.',
  category: 'branch',
  color: '#be123c',
  icon: '♥',
  params: ProviderHealthParamsSchema,
  outputs: () => [
    { id: 'healthy', label: 'healthy' },
    { id: 'unhealthy', label: 'unhealthy' },
  ],
  summary: (p) => `${p.model} via ${p.provider}`,
  labels: { provider: 'Provider', model: 'Model' },
  itemNames: {},
  action: null,
  fact: defineFact({ name: 'providerHealthy', params: HealthFactParamsSchema, value: z.boolean() }),
  models: (p) => [{ field: 'model', model: p.model }],
  leave: (p, handle) => ({
    conditions: [{ fact: 'providerHealthy', operator: 'equal', value: handle === 'healthy', params: { provider: p.provider, model: p.model } }],
    actions: [],
  }),
});
