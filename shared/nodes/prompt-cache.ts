import { z } from 'zod';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const PromptCacheParamsSchema = z.object({
  /** Anthropic: a cache_control breakpoint after the tool definitions. */
  cacheTools: z.boolean().default(true),
  /** Anthropic: a breakpoint after the system prompt. */
  cacheSystem: z.boolean().default(true),
  /** Anthropic: a breakpoint after a long document in the first user message. */
  cacheDocument: z.boolean().default(true),
  /** Anthropic: a breakpoint after the conversation so far (everything before the last user turn). */
  cacheHistory: z.boolean().default(true),
  /** How long a first-message block must be, in tokens, to count as a document worth its own breakpoint. */
  documentMinTokens: z.number().int('whole tokens').min(1, 'at least 1 token').max(1_000_000).default(1024),
  /** Every provider: system prompts first and tools in a fixed order, so automatic prefix caches (OpenAI, Gemini) match. */
  stablePrefixFirst: z.boolean().default(true),
});
export type PromptCacheParams = z.output<typeof PromptCacheParamsSchema>;

export const PromptCacheActionSchema = actionSchema('promptCache', PromptCacheParamsSchema);

export const promptCacheNode = defineNode({
  kind: 'promptCache',
  title: 'Prompt cache',
  description:
    "Lets the provider cache the request's stable prefix: Anthropic cache_control breakpoints on tools, system prompt, a long document and the history; the stable prefix first for OpenAI's and Gemini's automatic caches.",
  category: 'step',
  color: '#0891b2',
  icon: '❏',
  params: PromptCacheParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) =>
    [p.cacheTools ? 'tools' : '', p.cacheSystem ? 'system' : '', p.cacheDocument ? 'document' : '', p.cacheHistory ? 'history' : '', p.stablePrefixFirst ? 'stable order' : '']
      .filter(Boolean)
      .join(', ') || 'no prompt caching',
  labels: {
    cacheTools: 'Cache tools (Anthropic)',
    cacheSystem: 'Cache system prompt (Anthropic)',
    cacheDocument: 'Cache a long first document (Anthropic)',
    cacheHistory: 'Cache the history (Anthropic)',
    documentMinTokens: 'Document: at least this many tokens',
    stablePrefixFirst: 'Stable prefix first (all providers)',
  },
  itemNames: {},
  action: defineAction({ type: 'promptCache', schema: PromptCacheActionSchema, describe: () => 'provider prompt caching on the stable prefix' }),
  fact: null,
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'promptCache' as const, node: node.id, ...p }] }),
});
