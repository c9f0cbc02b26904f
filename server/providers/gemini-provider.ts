import type { ChatCompletionRequest } from '../../shared/api.js';
import type { EmbeddingsRequest } from '../../shared/embeddings-api.js';
import { fromGeminiEmbeddings, toGeminiEmbedRequest } from './gemini-embeddings.js';
import type { CallOptions, Completion, CompletionStream, Provider } from './provider.js';
import { ProviderError } from './provider.js';
import { toGeminiRequest } from './gemini-request.js';
import { describeGeminiError, toChatCompletion } from './gemini-response.js';
import { GeminiChunkTranslator } from './gemini-stream.js';
import { primeStream } from './primed-stream.js';
import { readSseEvents } from './sse-decoder.js';
import { UpstreamCall } from './upstream-call.js';
import { UpstreamEndpoint, failedResponse, parseJson, readJson } from './upstream-endpoint.js';
import type { UpstreamResponse } from './upstream-endpoint.js';

export const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';

export interface GeminiProviderOptions {
  /** Without `/v1beta`: the provider appends `/v1beta/models/<model>:generateContent`. */
  baseUrl: string;
  apiKey?: string;
}

type Chunk = Record<string, unknown>;

/** Google's native Gemini API (generateContent, streamGenerateContent over SSE) behind OpenAI's chat completions shape. */
export class GeminiProvider implements Provider {
  readonly name = 'gemini' as const;
  private readonly endpoint: UpstreamEndpoint;
  private readonly apiKey: string | undefined;

  constructor(options: GeminiProviderOptions) {
    this.apiKey = options.apiKey || undefined;
    // The key goes in a header, never the URL's ?key=, so it cannot land in an access log.
    this.endpoint = new UpstreamEndpoint(options.baseUrl, this.apiKey ? { 'x-goog-api-key': this.apiKey } : {});
  }

  async complete(request: ChatCompletionRequest, options: CallOptions): Promise<Completion> {
    const payload = toGeminiRequest(request);
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    try {
      const response = await this.endpoint.post(`/v1beta/models/${encodeURIComponent(options.model)}:generateContent`, payload, call);
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeGeminiError, this.apiKey);
      const body = toChatCompletion(await readJson(response, call), options.model);
      return { body, usage: usageOf(body) };
    } finally {
      call.finish();
    }
  }

  async stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream> {
    const payload = toGeminiRequest(request);
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    let response: UpstreamResponse;
    try {
      response = await this.endpoint.post(`/v1beta/models/${encodeURIComponent(options.model)}:streamGenerateContent?alt=sse`, payload, call, 'text/event-stream');
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeGeminiError, this.apiKey);
    } catch (error) {
      call.finish();
      throw error;
    }
    const translator = new GeminiChunkTranslator(options.model);
    return primeStream(geminiChunks(response, call, translator), () => translator.usage(), () => call.abort());
  }

  async embed(request: EmbeddingsRequest, options: CallOptions): Promise<Completion> {
    const payload = toGeminiEmbedRequest(request, options.model);
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    try {
      const response = await this.endpoint.post(`/v1beta/models/${encodeURIComponent(options.model)}:batchEmbedContents`, payload, call);
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeGeminiError, this.apiKey);
      return fromGeminiEmbeddings(await readJson(response, call), request, options.model);
    } finally {
      call.finish();
    }
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }
}

function usageOf(body: Record<string, unknown>) {
  const usage = body.usage as { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } } | undefined;
  if (!usage) return null;
  return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0 };
}

async function* geminiChunks(response: UpstreamResponse, call: UpstreamCall, translator: GeminiChunkTranslator): AsyncGenerator<Chunk, void> {
  let ended = false;
  try {
    for await (const sse of readSseEvents(response.body)) {
      const event = parseJson(sse.data);
      if (typeof event !== 'object' || event === null) throw new ProviderError('gemini sent an unparsable stream event', 'protocol');
      for (const chunk of translator.translate(event as Chunk)) {
        call.stopTimer();
        yield chunk;
      }
    }
    // No end marker in Gemini's stream: a body that ends before any candidate said why it stopped was cut.
    if (!translator.finished) throw new ProviderError('gemini stream ended before a finish reason', 'protocol');
    ended = true;
    yield* translator.end();
  } catch (error) {
    throw call.toError(error);
  } finally {
    call.finish();
    if (!ended) response.body.destroy();
  }
}
