import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { EmbeddingsRequest } from '../../shared/embeddings-api.js';
import { simulatedEmbeddings } from './simulator-embeddings.js';
import { countPromptTokens, messageText } from '../facts/tokens.js';
import type { CallOptions, Completion, CompletionStream, Provider, Usage } from './provider.js';
import { ProviderError } from './provider.js';
import { usageToOpenAI } from './openai-usage.js';
import { requestedJson } from '../facts/response-format.js';
import { promptHash, simulatedAnswer, simulatedJson, streamPieces } from './simulator-text.js';

export interface SimulatorOptions {
  /** Wait before answering (before the first chunk of a stream). 0 in tests and benchmarks. */
  latencyMs?: number;
  /** Wait between stream chunks. */
  chunkDelayMs?: number;
  /** Models that always fail, with the HTTP status to fail with, for demos of fallbacks. */
  failModels?: Record<string, number>;
}

type Json = Record<string, unknown>;

interface Answer {
  id: string;
  model: string;
  text: string;
  finishReason: 'stop' | 'length';
  usage: Usage;
}

/**
 * The offline provider that answers every model: deterministic text derived from the model and
 * the last user message, token counts from the o200k tokenizer, optional latency, and failure
 * injection by model. Every answer starts with "[simulated <model>]" so nobody mistakes it (a
 * request for JSON gets an object whose `answer` does), and JSON mode is honoured as providers
 * honour it, so the format check sees well-formed answers offline too.
 */
export class SimulatorProvider implements Provider {
  readonly name = 'simulator' as const;
  private readonly latencyMs: number;
  private readonly chunkDelayMs: number;
  private readonly failModels: Record<string, number>;

  constructor(options: SimulatorOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.chunkDelayMs = options.chunkDelayMs ?? 0;
    this.failModels = options.failModels ?? {};
  }

  async complete(request: ChatCompletionRequest, options: CallOptions): Promise<Completion> {
    await this.arrive(options);
    const answer = simulate(request, options.model);
    const body = {
      id: answer.id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: answer.model,
      system_fingerprint: 'tollgate-simulator',
      choices: [{ index: 0, message: { role: 'assistant', content: answer.text, refusal: null }, logprobs: null, finish_reason: answer.finishReason }],
      usage: usageToOpenAI(answer.usage),
    };
    return { body, usage: answer.usage };
  }

  async stream(request: ChatCompletionRequest, options: CallOptions): Promise<CompletionStream> {
    await this.arrive(options);
    const answer = simulate(request, options.model);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    let drained = false;
    const chunks = this.chunks(answer, signal, () => (drained = true));
    return { chunks, usage: () => (drained ? answer.usage : null), cancel: () => controller.abort() };
  }

  async embed(request: EmbeddingsRequest, options: CallOptions): Promise<Completion> {
    await this.arrive(options);
    const { body, promptTokens } = simulatedEmbeddings(request, options.model);
    return { body, usage: { inputTokens: promptTokens, outputTokens: 0, cachedInputTokens: 0 } };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Latency first (bounded by the call's timeout, as a slow upstream would be), then any injected failure. */
  private async arrive(options: CallOptions): Promise<void> {
    const wait = Math.min(this.latencyMs, options.timeoutMs);
    try {
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal });
    } catch {
      throw new ProviderError('simulator call cancelled', 'cancelled');
    }
    if (options.signal?.aborted) throw new ProviderError('simulator call cancelled', 'cancelled');
    if (this.latencyMs > options.timeoutMs) throw new ProviderError(`simulator did not answer within ${options.timeoutMs} ms`, 'timeout');
    const status = this.failModels[options.model];
    if (status !== undefined) {
      const message = `simulated failure for model ${options.model}`;
      throw new ProviderError(`simulator answered ${status}: ${message}`, 'http', status, null, {
        error: { message, type: 'upstream_error', param: null, code: 'simulated_failure' },
      });
    }
  }

  private async *chunks(answer: Answer, signal: AbortSignal, onDrained: () => void): AsyncGenerator<Json, void> {
    const head = { id: answer.id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: answer.model, system_fingerprint: 'tollgate-simulator' };
    const chunk = (delta: Json, finishReason: string | null = null): Json => ({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
    const frames = [
      chunk({ role: 'assistant', content: '' }),
      ...streamPieces(answer.text).map((piece) => chunk({ content: piece })),
      chunk({}, answer.finishReason),
      { ...head, choices: [], usage: usageToOpenAI(answer.usage) },
    ];
    for (const [i, frame] of frames.entries()) {
      if (signal.aborted) return;
      if (i > 0 && this.chunkDelayMs > 0) {
        try {
          await sleep(this.chunkDelayMs, undefined, { signal });
        } catch {
          return;
        }
      }
      yield frame;
    }
    onDrained();
  }
}

function simulate(request: ChatCompletionRequest, model: string): Answer {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  const prompt = lastUser ? messageText(lastUser) : '';
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? null;
  const json = requestedJson(request);
  const text = json ? simulatedJson(simulatedAnswer(model, prompt, null).text, json.schema?.required ?? [], maxTokens) : simulatedAnswer(model, prompt, maxTokens);
  return {
    id: `chatcmpl-sim-${promptHash(model, prompt).toString(16)}`,
    model,
    text: text.text,
    finishReason: text.truncated ? 'length' : 'stop',
    usage: { inputTokens: countPromptTokens(request.messages), outputTokens: text.tokens, cachedInputTokens: 0 },
  };
}
