import { z } from 'zod';
import type { Operator } from './operators.js';

export const TASK_TYPES = ['chat', 'code', 'math', 'summarize', 'extract', 'translate', 'classify', 'creative'] as const;
export const COMPLEXITIES = ['simple', 'moderate', 'complex'] as const;
export const TIERS = ['free', 'standard', 'premium', 'internal'] as const;
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * The static facts of one request, derived once from the request and its headers.
 * Conditions test these by name; `tags` is tested with a path naming the tag key.
 */
export const RequestFactsSchema = z.object({
  model: z.string(),
  provider: z.string(),
  promptTokens: z.number().int().min(0),
  maxTokens: z.number().int().min(0),
  messageCount: z.number().int().min(0),
  hasTools: z.boolean(),
  hasImages: z.boolean(),
  stream: z.boolean(),
  tags: z.record(z.string(), z.string()),
  user: z.string(),
  serviceKey: z.string(),
  tier: z.string(),
  taskType: z.enum(TASK_TYPES),
  complexity: z.enum(COMPLEXITIES),
  hour: z.number().int().min(0).max(23),
  weekday: z.enum(WEEKDAYS),
  estimatedCostUsd: z.number().min(0),
});
export type RequestFacts = z.infer<typeof RequestFactsSchema>;
export type StaticFactName = keyof RequestFacts;

/** Facts computed by the runtime only when a rule on the path asks for them. */
export const DYNAMIC_FACTS = ['budgetUsedPct', 'rateLimited', 'providerHealthy', 'splitBucket', 'routerScore'] as const;
export type DynamicFactName = (typeof DYNAMIC_FACTS)[number];

export type FactType = 'string' | 'number' | 'boolean' | 'tags';

export interface FactInfo {
  name: StaticFactName;
  type: FactType;
  label: string;
  description: string;
  /** Suggested values for selects in the editor. */
  values?: readonly string[];
}

/** Facts a condition or switch node may test (the dynamic ones have their own nodes). */
export const TESTABLE_FACTS: readonly FactInfo[] = [
  { name: 'model', type: 'string', label: 'Model asked for', description: 'The `model` field of the request.' },
  { name: 'provider', type: 'string', label: 'Provider', description: 'Provider of the model asked for (from the pricing table).' },
  { name: 'promptTokens', type: 'number', label: 'Prompt tokens (estimate)', description: 'Input tokens counted with the o200k tokenizer.' },
  { name: 'maxTokens', type: 'number', label: 'Max output tokens', description: '`max_tokens` / `max_completion_tokens`, 0 when unset.' },
  { name: 'messageCount', type: 'number', label: 'Message count', description: 'Number of messages in the request.' },
  { name: 'hasTools', type: 'boolean', label: 'Has tools', description: 'The request declares tools or functions.' },
  { name: 'hasImages', type: 'boolean', label: 'Has images', description: 'A message carries an image part.' },
  { name: 'stream', type: 'boolean', label: 'Streaming', description: 'The caller asked for a stream.' },
  { name: 'tags', type: 'tags', label: 'Tag', description: 'Attribution tags from `x-tollgate-tags` and body `metadata`; the path names the key (team, feature, env...).' },
  { name: 'user', type: 'string', label: 'End user', description: 'The `user` field or `x-tollgate-user`.' },
  { name: 'serviceKey', type: 'string', label: 'Service key', description: 'Id of the service key that called (never the secret).' },
  { name: 'tier', type: 'string', label: 'Priority tier', description: '`x-tollgate-tier` or the tag `tier`.', values: TIERS },
  { name: 'taskType', type: 'string', label: 'Task type', description: 'From the built-in classifier.', values: TASK_TYPES },
  { name: 'complexity', type: 'string', label: 'Task complexity', description: 'From the built-in classifier.', values: COMPLEXITIES },
  { name: 'hour', type: 'number', label: 'Hour of day (UTC)', description: '0 to 23.' },
  { name: 'weekday', type: 'string', label: 'Day of week (UTC)', description: 'sun, mon, ... sat.', values: WEEKDAYS },
  { name: 'estimatedCostUsd', type: 'number', label: 'Estimated cost (USD)', description: 'Prompt tokens and max output tokens at the asked model’s price.' },
];

export const TESTABLE_FACT_NAMES = TESTABLE_FACTS.map((f) => f.name) as [StaticFactName, ...StaticFactName[]];
export const TestableFactSchema = z.enum(TESTABLE_FACT_NAMES);

export function factInfo(name: string): FactInfo | undefined {
  return TESTABLE_FACTS.find((f) => f.name === name);
}

export const OPERATORS_BY_TYPE: Record<FactType, readonly Operator[]> = {
  string: ['equal', 'notEqual', 'in', 'notIn'],
  number: ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn'],
  boolean: ['equal', 'notEqual'],
  tags: ['equal', 'notEqual', 'in', 'notIn'],
};

/** Tag keys become JSONPath segments (`$.team`), so they are plain identifiers. */
export const TagKeySchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a tag key is letters, digits and "_", starting with a letter');

export function tagPath(key: string): string {
  return `$.${key}`;
}
