import { z } from 'zod';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const TrimParamsSchema = z.object({
  /** Drop the oldest non-system messages until the prompt fits; 0 keeps every message. */
  maxInputTokens: z.number().int().min(0).max(2_000_000).default(8000),
  collapseWhitespace: z.boolean().default(true),
  /** Keep only the last N non-system messages (a history window); 0 keeps them all. */
  keepLastMessages: z.number().int().min(0).max(1000).default(0),
  /** Cap on max_tokens sent to the provider; 0 leaves it as asked. */
  maxOutputTokens: z.number().int().min(0).max(1_000_000).default(0),
  // The three below are optional with no default, so rule files compiled before them keep their bytes.
  /** A history window by tokens: the system prompt and the latest whole turns that fit; unset or 0 keeps them all. */
  historyTokens: z.number().int().min(0).max(2_000_000).optional(),
  /** Replace earlier copies of long repeated paragraphs (a document pasted again, the same tool result) with a pointer. */
  removeDuplicates: z.boolean().optional(),
  /** Tool schemas without titles, $schema, examples and extra whitespace. */
  minifyTools: z.boolean().optional(),
  /** Keep only this many few-shot examples (`example_user` / `example_assistant` messages), the most similar to the question; unset or 0 keeps all. */
  fewShotKeep: z.number().int().min(0).max(100).optional(),
});

export const TrimActionSchema = actionSchema('trim', TrimParamsSchema);

export const trimNode = defineNode({
  kind: 'trim',
  title: 'Trim tokens',
  description: 'Cuts wasted tokens before the call: whitespace, old history, repeated paragraphs, verbose tool schemas, surplus few-shot examples, and an output cap.',
  category: 'step',
  color: '#4f46e5',
  icon: '✂',
  params: TrimParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) =>
    [
      p.maxInputTokens ? `≤ ${p.maxInputTokens} in` : '',
      p.keepLastMessages ? `last ${p.keepLastMessages} msgs` : '',
      p.maxOutputTokens ? `≤ ${p.maxOutputTokens} out` : '',
      p.historyTokens ? `history ≤ ${p.historyTokens} tokens` : '',
      p.removeDuplicates ? 'duplicates' : '',
      p.minifyTools ? 'tool schemas' : '',
      p.fewShotKeep ? `${p.fewShotKeep} examples` : '',
      p.collapseWhitespace ? 'whitespace' : '',
    ]
      .filter(Boolean)
      .join(', ') || 'no trimming',
  labels: {
    maxInputTokens: 'Max input tokens (0: off)',
    keepLastMessages: 'Keep last messages (0: all)',
    maxOutputTokens: 'Max output tokens (0: as asked)',
    collapseWhitespace: 'Collapse whitespace',
    historyTokens: 'History window (tokens, 0: off)',
    removeDuplicates: 'Remove repeated paragraphs',
    minifyTools: 'Minify tool schemas',
    fewShotKeep: 'Few-shot examples to keep (0: all)',
  },
  itemNames: {},
  action: defineAction({ type: 'trim', schema: TrimActionSchema, describe: (a) => `trim to ${a.maxInputTokens || '∞'} input tokens` }),
  fact: null,
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'trim' as const, node: node.id, ...p }] }),
});
