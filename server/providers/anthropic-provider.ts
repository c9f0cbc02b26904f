import type { ChatCompletionRequest } from '../../shared/api.js';
import type { CallOptions, Completion, CompletionStream, Provider } from './provider.js';
import { ProviderError } from './provider.js';
import { placeCacheBreakpoints } from './anthropic-cache-breakpoints.js';
import { toAnthropicRequest } from './anthropic-request.js';
import { describeAnthropicError, toChatCompletion, usageFromAnthropic } from './anthropic-response.js';
import { AnthropicChunkTranslator } from './anthropic-stream.js';
import { primeStream } from './primed-stream.js';
import { readSseEvents } from './sse-decoder.js';
import { UpstreamCall } from './upstream-call.js';
import { UpstreamEndpoint, failedResponse, parseJson, readJson } from './upstream-endpoint.js';
import type { UpstreamResponse } from './upstream-endpoint.js';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

export interface AnthropicProviderOptions {
  /** Without `/v1`: the provider appends `/v1/messages`. */
  baseUrl: string;
  apiKey?: string;
}

type Chunk = Record<string, unknown>;

/** The Messages API behind OpenAI's chat completions shape, both ways. */
export class AnthropicProvider implements Provider {
  readonly name = 'anthropic' as const;
  private readonly endpoint: UpstreamEndpoint;
  private readonly apiKey: string | undefined;

  constructor(options: AnthropicProviderOptions) {
    this.apiKey = options.apiKey || undefined;
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (this.apiKey) headers['x-api-key'] = this.apiKey;
    this.endpoint = new UpstreamEndpoint(options.baseUrl, headers);
  }

  async complete(request: ChatCompletionRequest, options: CallOptions): Promise<Completion> {
    const payload = placeCacheBreakpoints(toAnthropicRequest(request, options.model, false), options.promptCache);
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    try {
      const response = await this.endpoint.post('/v1/messages', payload, call);
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeAnthropicError, this.apiKey);
      const message = await readJson(response, call);
      if (message.type === 'error') throw new ProviderError(`anthropic answered an error: ${describeAnthropicError(response.statusCode, message, '').message}`, 'protocol');
      return { body: toChatCompletion(message), usage: usageFromAnthropic(message.usage) };
    } finally {
      call.finish();
    }
  }

  async stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream> {
    const payload = placeCacheBreakpoints(toAnthropicRequest(request, options.model, true), options.promptCache);
    const call = new UpstreamCall(this.name, options.timeoutMs, options.signal);
    let response: UpstreamResponse;
    try {
      response = await this.endpoint.post('/v1/messages', payload, call, 'text/event-stream');
      if (response.statusCode >= 300) throw await failedResponse(response, call, describeAnthropicError, this.apiKey);
    } catch (error) {
      call.finish();
      throw error;
    }
    const translator = new AnthropicChunkTranslator();
    return primeStream(anthropicChunks(response, call, translator), () => translator.usage(), () => call.abort());
  }

  close(): Promise<void> {
    return this.endpoint.close();
  }
}

async function* anthropicChunks(response: UpstreamResponse, call: UpstreamCall, translator: AnthropicChunkTranslator): AsyncGenerator<Chunk, void> {
  try {
    for await (const sse of readSseEvents(response.body)) {
      // Reading on past message_stop to the body's end lets undici reuse the keep-alive socket.
      if (translator.done) continue;
      const event = parseJson(sse.data);
      if (typeof event !== 'object' || event === null) throw new ProviderError('anthropic sent an unparsable stream event', 'protocol');
      for (const chunk of translator.translate(event)) {
        call.stopTimer();
        yield chunk;
      }
    }
    if (!translator.done) throw new ProviderError('anthropic stream ended before message_stop', 'protocol');
  } catch (error) {
    throw call.toError(error);
  } finally {
    call.finish();
    if (!translator.done) response.body.destroy();
  }
}
