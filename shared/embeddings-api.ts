import { z } from 'zod';

/* ---------- POST /v1/embeddings: OpenAI's embeddings API, under the policy's gates ---------- */

/** OpenAI takes at most 2,048 inputs a call. */
const MAX_INPUTS = 2048;

const TokenArraySchema = z.array(z.number().int().min(0), { error: 'a token array holds token ids (integers)' }).min(1, 'a token array must not be empty');

export const EmbeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  /** A text, texts, a token array, or token arrays. */
  input: z.union(
    [
      z.string().min(1, 'input must not be empty'),
      z.array(z.string().min(1, 'an input text must not be empty')).min(1, 'at least one input is required').max(MAX_INPUTS),
      TokenArraySchema,
      z.array(TokenArraySchema).min(1, 'at least one input is required').max(MAX_INPUTS),
    ],
    { error: `input is a string, an array of up to ${MAX_INPUTS} strings, or token arrays` },
  ),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
});
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;

/** The inputs one by one: each text, or each token array. */
export function embeddingInputs(request: Pick<EmbeddingsRequest, 'input'>): (string | number[])[] {
  const { input } = request;
  if (typeof input === 'string') return [input];
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as (string | number[])[];
}
