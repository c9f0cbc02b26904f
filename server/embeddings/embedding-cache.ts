import { embeddingInputs, type EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { CacheAction } from '../../shared/decision.js';
import type { CacheInput } from '../cache/cache-key.js';
import type { CachedAnswer, ResponseCache } from '../cache/response-cache.js';
import { inputTokens } from './embedding-facts.js';
import type { Usage } from '../providers/provider.js';

type Json = Record<string, unknown>;
type Input = string | number[];

/**
 * The cache entry of one input: its model, the input and the encoding settings, under no messages
 * (which no chat completion has), so an embedding and a chat answer never share a key. Each input
 * is its own entry: a batch that repeats some inputs pays for the new ones only, and one vector
 * stays far under the cache's size limit for an entry, where a whole batch would not.
 */
function inputKey(request: EmbeddingsRequest, input: Input, tags: Record<string, string>): CacheInput {
  const { model, user: _user, input: _all, ...params } = request;
  return { request: { model, messages: [], embeddings: { ...params, input } }, model, tags };
}

/** What the cache holds of a call: each input's entry, or null where it has none. */
export async function cachedInputs(cache: ResponseCache, action: CacheAction, request: EmbeddingsRequest, tags: Record<string, string>): Promise<(CachedAnswer | null)[]> {
  return Promise.all(embeddingInputs(request).map((input) => cache.lookup(action, inputKey(request, input, tags))));
}

/** The call for the inputs the cache did not have, in their order. */
export function missingRequest(request: EmbeddingsRequest, hits: readonly (CachedAnswer | null)[]): EmbeddingsRequest {
  const inputs = embeddingInputs(request);
  const missing = inputs.filter((_, i) => !hits[i]);
  return { ...request, input: missing.length === 1 && typeof missing[0] === 'string' ? missing[0] : (missing as string[] | number[][]) };
}

/** Stores each input the provider answered as an entry of its own, with its share of the call's tokens. */
export function storeInputs(cache: ResponseCache, action: CacheAction, o: { request: EmbeddingsRequest; hits: readonly (CachedAnswer | null)[]; body: Json; usage: Usage; model: string; tags: Record<string, string> }): void {
  const inputs = embeddingInputs(o.request);
  const missing = inputs.flatMap((input, i) => (o.hits[i] ? [] : [input]));
  const data = vectorsOf(o.body);
  if (data.length !== missing.length) return;
  const shares = tokenShares(missing, o.usage.inputTokens);
  missing.forEach((input, i) => {
    const usage = { inputTokens: shares[i]!, outputTokens: 0, cachedInputTokens: 0 };
    const body = { object: 'list', data: [{ ...data[i]!, index: 0 }], model: o.body.model ?? o.model, usage: { prompt_tokens: usage.inputTokens, total_tokens: usage.inputTokens } };
    cache.store(action, inputKey(o.request, input, o.tags), { body, usage, model: o.model });
  });
}

/** The whole answer: cached vectors and the provider's in the inputs' order, and the tokens of both. */
export function mergedAnswer(o: { hits: readonly (CachedAnswer | null)[]; body: Json | null; model: string }): { body: Json; hitTokens: number } {
  const fresh = o.body ? vectorsOf(o.body) : [];
  let next = 0;
  let hitTokens = 0;
  const data = o.hits.map((hit, index) => {
    if (hit) hitTokens += hit.usage?.inputTokens ?? 0;
    const vector = hit ? vectorsOf(hit.body)[0] : fresh[next++];
    return { ...vector, object: 'embedding', index };
  });
  const paid = (o.body?.usage as { prompt_tokens?: number } | undefined)?.prompt_tokens ?? 0;
  const tokens = paid + hitTokens;
  return { body: { object: 'list', data, model: o.body?.model ?? o.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }, hitTokens };
}

function vectorsOf(body: Json): Json[] {
  const data = Array.isArray(body.data) ? (body.data as Json[]) : [];
  return [...data].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0));
}

/** A call's tokens split over its inputs in proportion to their own counts (the provider reports only the total). */
function tokenShares(inputs: readonly Input[], total: number): number[] {
  const counts = inputs.map(inputTokens);
  const sum = counts.reduce((a, b) => a + b, 0) || 1;
  const shares = counts.map((c) => Math.floor((c * total) / sum));
  shares[shares.length - 1]! += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}
