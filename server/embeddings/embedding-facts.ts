import type { ChatCompletionRequest } from '../../shared/api.js';
import { estimateCost } from '../../shared/cost.js';
import { embeddingInputs, type EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { RequestFacts } from '../../shared/facts.js';
import { requestFacts, type FactContext } from '../facts/request-facts.js';
import { countTextTokens } from '../facts/tokens.js';

/** Enough of the texts for the classifier, which reads words, not volume. */
const SAMPLE_CHARS = 4000;

/**
 * An embeddings call as the policy's rules and the ledger see it: the model asked for and one
 * user turn of the start of its texts. Only the policy's gates apply to it (handle-embeddings.ts).
 */
export function embeddingsAsChat(request: EmbeddingsRequest): ChatCompletionRequest {
  let content = '';
  for (const input of embeddingInputs(request)) {
    if (typeof input !== 'string') continue;
    const room = SAMPLE_CHARS - content.length - (content ? 1 : 0);
    if (room <= 0) break;
    content += (content ? '\n' : '') + input.slice(0, room);
  }
  return { model: request.model, messages: [{ role: 'user', content }], ...(request.user ? { user: request.user } : {}) };
}

/** One input's tokens as Tollgate counts them (o200k; a token array counts its length). */
export function inputTokens(input: string | number[]): number {
  return typeof input === 'string' ? countTextTokens(input) : input.length;
}

/** The texts among a call's inputs, which are what its token count reads. */
export function embeddingTexts(request: Pick<EmbeddingsRequest, 'input'>): string[] {
  return embeddingInputs(request).filter((input): input is string => typeof input === 'string');
}

/** The tokens of a call's inputs. */
export function embeddingTokens(request: Pick<EmbeddingsRequest, 'input'>): number {
  let tokens = 0;
  for (const input of embeddingInputs(request)) tokens += inputTokens(input);
  return tokens;
}

/**
 * The static facts of an embeddings call: its inputs' tokens (a token array counts its length),
 * no output tokens, one message per input; the classifier reads the start of its texts.
 */
export function embeddingFacts(request: EmbeddingsRequest, context: FactContext): RequestFacts {
  const inputs = embeddingInputs(request);
  const promptTokens = embeddingTokens(request);
  const price = context.pricing.models[request.model];
  return {
    ...requestFacts(embeddingsAsChat(request), context),
    promptTokens,
    maxTokens: 0,
    messageCount: inputs.length,
    estimatedCostUsd: price ? estimateCost({ inputTokens: promptTokens, outputTokens: 0 }, price) : 0,
  };
}
