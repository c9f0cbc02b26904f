import type { ChatCompletionRequest } from '../../shared/api.js';
import type { EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { PromptCacheParams } from '../../shared/nodes/prompt-cache.js';
import type { ProviderName } from '../../shared/providers.js';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Prompt tokens the provider wrote to its prompt cache (Anthropic's cache_creation_input_tokens); absent where none. */
  cacheWriteTokens?: number;
}

export interface CallOptions {
  /** The model to ask the provider for (the route's, not necessarily the caller's). */
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** From the path's Prompt cache node; providers with explicit cache markers (Anthropic) place them. */
  promptCache?: PromptCacheCall;
}

/** A Prompt cache node's settings plus the model's shortest cacheable prefix, from the pricing table. */
export type PromptCacheCall = PromptCacheParams & { minTokens: number };

/** A complete answer, already in OpenAI's chat.completion shape whatever the provider spoke. */
export interface Completion {
  body: Record<string, unknown>;
  usage: Usage | null;
  /** The provider's own JSON text when it already is the answer (OpenAI wire format): sent as is, not re-serialised. */
  raw?: string;
}

/**
 * An answer arriving as OpenAI chat.completion.chunk objects. `start` resolves only after the
 * first chunk arrived, so a failure before any byte reaches the caller can still fall back.
 */
export interface CompletionStream {
  chunks: AsyncIterable<Record<string, unknown>>;
  /** Usage from the provider's final chunk or event; null if it sent none. Valid once chunks are drained. */
  usage(): Usage | null;
  /** Stops reading and frees the connection (the caller went away). */
  cancel(): void;
}

/** `cancelled`: the caller's signal aborted the call; never retried, never falls back. */
export type ProviderErrorKind = 'http' | 'timeout' | 'network' | 'protocol' | 'not-configured' | 'cancelled';

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderErrorKind,
    readonly status: number | null = null,
    /** From a 429's or 503's Retry-After header. */
    readonly retryAfterMs: number | null = null,
    /** The provider's own error body, passed to the caller when no fallback is left. */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  /** 408, 409, 429, 5xx, timeouts and resets are worth another try; other 4xx are the caller's fault. */
  get retryable(): boolean {
    if (this.kind === 'http') return this.status === 408 || this.status === 409 || this.status === 429 || (this.status ?? 0) >= 500;
    return this.kind !== 'not-configured' && this.kind !== 'cancelled';
  }
}

export interface Provider {
  readonly name: ProviderName;
  complete(request: ChatCompletionRequest, options: CallOptions): Promise<Completion>;
  stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream>;
  /** OpenAI's embeddings API, its answer as OpenAI shapes it; absent where the provider has none. */
  embed?(request: EmbeddingsRequest, options: CallOptions): Promise<Completion>;
  close(): Promise<void>;
}
