import type { ChatCompletionRequest } from '../../shared/api.js';
import type { EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { CallOptions, Completion, CompletionStream, Provider } from './provider.js';
import { ProviderError } from './provider.js';
import { redactValue, type Redactor } from './redact-secrets.js';

type Chunk = Record<string, unknown>;

/**
 * Every error that leaves a real provider, before the first byte or mid-stream, with its
 * message and body redacted. It is the one place upstream text enters the runtime, so what the
 * caller, the ledger and the log see of it is already clean.
 */
export function withRedaction(provider: Provider, redact: Redactor): Provider {
  const fail = (error: unknown): never => {
    throw redactedError(error, redact);
  };
  return {
    name: provider.name,
    complete: (request: ChatCompletionRequest, options: CallOptions): Promise<Completion> => provider.complete(request, options).catch(fail),
    async stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream> {
      const inner = await provider.stream(request, options).catch(fail);
      return { chunks: redactingChunks(inner.chunks, fail), usage: () => inner.usage(), cancel: () => inner.cancel() };
    },
    ...(provider.embed ? { embed: (request: EmbeddingsRequest, options: CallOptions) => provider.embed!(request, options).catch(fail) } : {}),
    close: () => provider.close(),
  };
}

export function redactedError(error: unknown, redact: Redactor): ProviderError {
  if (error instanceof ProviderError) {
    return new ProviderError(redact(error.message), error.kind, error.status, error.retryAfterMs, redactValue(error.body, redact));
  }
  return new ProviderError(redact(error instanceof Error ? error.message : String(error)), 'protocol');
}

/** A thin iterator rather than an async generator: no extra generator hop per chunk on the hot path. */
function redactingChunks(chunks: AsyncIterable<Chunk>, fail: (error: unknown) => never): AsyncIterable<Chunk> {
  return {
    [Symbol.asyncIterator]() {
      const it = chunks[Symbol.asyncIterator]();
      return {
        next: () => it.next().catch(fail),
        return: (value?: unknown) => (it.return ? it.return(value).catch(fail) : Promise.resolve({ done: true as const, value: undefined })),
      };
    },
  };
}
