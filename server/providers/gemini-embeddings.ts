import { embeddingInputs, type EmbeddingsRequest } from '../../shared/embeddings-api.js';
import { embeddingTokens } from '../embeddings/embedding-facts.js';
import { ProviderError, type Usage } from './provider.js';

type Json = Record<string, unknown>;

/**
 * An embeddings call as Gemini's batchEmbedContents takes it: one request a text, `dimensions` as
 * outputDimensionality, and Gemini's own `task_type` (RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, …) as taskType.
 */
export function toGeminiEmbedRequest(request: EmbeddingsRequest, model: string): Json {
  const texts = embeddingInputs(request).map((input) => {
    if (typeof input === 'string') return input;
    const message = 'gemini embeds texts only: send the input as text, not token ids';
    throw new ProviderError(message, 'http', 400, null, { error: { message, type: 'invalid_request_error', param: 'input', code: null } });
  });
  return {
    requests: texts.map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined ? { outputDimensionality: request.dimensions } : {}),
      ...(typeof request.task_type === 'string' ? { taskType: request.task_type } : {}),
    })),
  };
}

/**
 * Gemini's embeddings in OpenAI's list shape (base64 float32 when asked, as OpenAI sends it).
 * Gemini reports no token counts for embeddings: usage is the o200k count of the texts.
 */
export function fromGeminiEmbeddings(body: Json, request: EmbeddingsRequest, model: string): { body: Json; usage: Usage } {
  const embeddings = Array.isArray(body.embeddings) ? (body.embeddings as { values?: unknown }[]) : [];
  const inputs = embeddingInputs(request);
  if (embeddings.length !== inputs.length || !embeddings.every((e) => Array.isArray(e.values))) {
    throw new ProviderError(`gemini answered ${embeddings.length} embeddings for ${inputs.length} inputs`, 'protocol');
  }
  const data = embeddings.map((e, index) => {
    const values = e.values as number[];
    const embedding = request.encoding_format === 'base64' ? Buffer.from(Float32Array.from(values).buffer).toString('base64') : values;
    return { object: 'embedding', index, embedding };
  });
  const tokens = embeddingTokens(request);
  return { body: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }, usage: { inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 } };
}
