import { z } from 'zod';
import { IdSchema } from './graph.js';

/* ---------- /api/keys: service keys ---------- */

/** Same rule as the `x-tollgate-tags` header, so a bound tag is one a caller could have sent. */
const TagKeySchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'tag keys are letters, digits and _ (not starting with a digit)');
const TagValueSchema = z.string().min(1, 'must not be empty').max(80, 'must be at most 80 characters');

export const KeyBudgetsSchema = z
  .object({
    day: z.number().min(0).optional(),
    week: z.number().min(0).optional(),
    month: z.number().min(0).optional(),
  })
  .strict();
export type KeyBudgets = z.infer<typeof KeyBudgetsSchema>;

export const CreateKeyBodySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    /** Tags every request made with the key carries; they win over the caller's header and body `metadata`. */
    tags: z.record(TagKeySchema, TagValueSchema).default({}),
    /** The only policy the key may use; a request naming another is refused. */
    policy: IdSchema.optional(),
    /** USD limits for the `serviceKey` budget scope of this key (kept as budget overrides). */
    budgets: KeyBudgetsSchema.optional(),
  })
  .strict();
export type CreateKeyBody = z.input<typeof CreateKeyBodySchema>;

/** The secret is in this answer and nowhere else, ever. */
export const CreateKeyResponseSchema = z.object({ id: z.string(), key: z.string() });
export type CreateKeyResponse = z.infer<typeof CreateKeyResponseSchema>;

export const KeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  tags: z.record(z.string(), z.string()),
  policy: z.string().nullable(),
  budgets: KeyBudgetsSchema.nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type KeySummary = z.infer<typeof KeySummarySchema>;

export const KeyListResponseSchema = z.object({ keys: z.array(KeySummarySchema) });
export type KeyListResponse = z.infer<typeof KeyListResponseSchema>;
