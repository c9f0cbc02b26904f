import type { ChatCompletionRequest } from '../../shared/api.js';
import type { EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { ProviderName } from '../../shared/providers.js';
import type { CallOptions, Completion, CompletionStream, Provider, Usage } from './provider.js';
import { ProviderError } from './provider.js';
import { usageFromOpenAI } from './openai-usage.js';
import { primeStream } from './primed-stream.js';
import { readSseEvents } from './sse-decoder.js';
import { UpstreamCall } from './upstream-call.js';
import { UpstreamEndpoint, failedResponse, parseJson, readJsonWithText } from './upstream-endpoint.js';
import type { UpstreamFailure, UpstreamResponse } from './upstream-endpoint.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIProviderOptions {
  /** Any OpenAI-compatible base URL, ending where `/chat/completions` is appended (usually `/v1`). */
  baseUrl: string;
  apiKey?: string;
  /** A named OpenAI-compatible provider (groq, vllm...) answers under its own name in headers, ledger and breakers. */
  name?: ProviderName;
}

type Chunk = Record<string, unknown>;

/** Speaks to OpenAI and every server that copies its chat completions API (Azure, Groq, vLLM, Ollama...). */
export class OpenAIProvider implements Provider {
  readonly name: ProviderName;
  private readonly endpoint: UpstreamEndpoint;
  private readonly apiKey: string | undefined;

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name ?? 'openai';
    this.apiKey = options.apiKey || undefined;
    this.endpoint = new UpstreamEndpoint(options.baseUrl, this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {});
  }

  async complete(request: ChatCompletionRequest, options: CallOptions): Promise<Completion> {
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    try {
      const response = await this.endpoint.post('/chat/completions', openAIRequestBody(request, options.model, false), call);
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeOpenAIError, this.apiKey);
      const { json: body, text } = await readJsonWithText(response, call);
      return { body, usage: usageFromOpenAI(body.usage), raw: text };
    } finally {
      call.finish();
    }
  }

  async embed(request: EmbeddingsRequest, options: CallOptions): Promise<Completion> {
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    try {
      const response = await this.endpoint.post('/embeddings', { ...request, model: options.model }, call);
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeOpenAIError, this.apiKey);
      const { json: body, text } = await readJsonWithText(response, call);
      return { body, usage: usageFromOpenAI(body.usage), raw: text };
    } finally {
      call.finish();
    }
  }

  async stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream> {
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    let response: UpstreamResponse;
    try {
      response = await this.endpoint.post('/chat/completions', openAIRequestBody(request, options.model, true), call, 'text/event-stream');
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeOpenAIError, this.apiKey);
    } catch (error) {
      call.finish();
      throw error;
    }
    let usage: Usage | null = null;
    const source = openAIChunks(response, call, (u) => (usage = u));
    return primeStream(source, () => usage, () => call.abort());
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }
}

/**
 * The caller's body with the route's model. `metadata` carries Tollgate's attribution tags and
 * OpenAI refuses it unless `store` is on, so it is forwarded only then. Streams always ask for
 * the usage chunk, because the ledger needs it whether or not the caller did.
 */
export function openAIRequestBody(request: ChatCompletionRequest, model: string, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request, model, stream };
  if (request.store !== true) delete body.metadata;
  if (stream) body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  else delete body.stream_options;
  return body;
}

async function* openAIChunks(response: UpstreamResponse, call: UpstreamCall, onUsage: (usage: Usage) => void): AsyncGenerator<Chunk, void> {
  let done = false;
  try {
    for await (const event of readSseEvents(response.body)) {
      // Reading on past [DONE] to the body's end lets undici reuse the keep-alive socket.
      if (done) continue;
      if (event.data === '[DONE]') {
        done = true;
        continue;
      }
      const chunk = parseJson(event.data);
      if (typeof chunk !== 'object' || chunk === null) throw new ProviderError(`${call.provider} sent an unparsable stream chunk`, 'protocol');
      const { error, usage } = chunk as { error?: unknown; usage?: unknown };
      if (error) throw streamError(error, call.provider);
      const parsed = usageFromOpenAI(usage);
      if (parsed) onUsage(parsed);
      call.stopTimer();
      yield chunk as Chunk;
    }
    if (!done) throw new ProviderError(`${call.provider} stream ended before [DONE]`, 'protocol');
  } catch (error) {
    throw call.toError(error);
  } finally {
    call.finish();
    if (!done) response.body.destroy();
  }
}

/** OpenAI may report a failure inside a 200 stream as `{"error": {...}}`. */
function streamError(error: unknown, provider: ProviderName): ProviderError {
  const message = (error as { message?: unknown }).message;
  const text = typeof message === 'string' ? message : 'error event in stream';
  return new ProviderError(`${provider} stream failed: ${text}`, 'protocol', null, null, { error });
}

const MAX_MESSAGE = 300;

export function describeOpenAIError(status: number, body: unknown, text: string): UpstreamFailure {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  if (error && typeof error === 'object') {
    const message = typeof error.message === 'string' ? error.message : `HTTP ${status}`;
    return { message, body };
  }
  const message = text.trim().slice(0, MAX_MESSAGE) || `HTTP ${status}`;
  return { message, body: { error: { message, type: 'upstream_error', param: null, code: null } } };
}
