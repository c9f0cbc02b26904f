import { embeddingInputs, type EmbeddingsRequest } from '../../shared/embeddings-api.js';
import { embed, EMBEDDING_DIMS } from '../cache/text-embedding.js';
import { embeddingTokens } from '../embeddings/embedding-facts.js';

/** OpenAI's sizes for its embedding models; any other model gets the hashed embedding's own size. */
const MODEL_DIMS: Record<string, number> = { 'text-embedding-3-small': 1536, 'text-embedding-3-large': 3072, 'text-embedding-ada-002': 1536 };

/**
 * The simulator's embeddings: the semantic cache's hashed-word embedding of each input, folded
 * or repeated to the size asked and normalised, so texts that share words lie close together, as
 * with a real model, offline and deterministic. Base64 is little-endian float32, as OpenAI sends it.
 */
export function simulatedEmbeddings(request: EmbeddingsRequest, model: string): { body: Record<string, unknown>; promptTokens: number } {
  const dims = request.dimensions ?? MODEL_DIMS[model] ?? EMBEDDING_DIMS;
  const promptTokens = embeddingTokens(request);
  const data = embeddingInputs(request).map((input, index) => {
    const text = typeof input === 'string' ? input : input.join(' ');
    const vector = resized(embed(text), dims);
    return { object: 'embedding', index, embedding: request.encoding_format === 'base64' ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector) };
  });
  return { body: { object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }, promptTokens };
}

function resized(vector: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(dims);
  for (let i = 0; i < Math.max(dims, vector.length); i++) out[i % dims]! += vector[i % vector.length]!;
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) out[i]! /= norm;
  return out;
}
