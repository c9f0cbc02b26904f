import type { Usage } from './provider.js';
import { ProviderError } from './provider.js';
import { usageToOpenAI } from './openai-usage.js';
import type { UpstreamFailure } from './upstream-endpoint.js';

type Json = Record<string, unknown>;

interface AnthropicBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function finishReason(stopReason: unknown): string | null {
  if (typeof stopReason !== 'string') return null;
  return FINISH_REASONS[stopReason] ?? 'stop';
}

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`; OpenAI's
 * prompt_tokens includes cached tokens, so they are added back and cache reads reported as cached;
 * cache writes are kept apart too, since they are billed above the input price.
 */
export function usageFromAnthropic(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Record<string, unknown>;
  const n = (key: string): number => (typeof u[key] === 'number' ? (u[key] as number) : 0);
  const cacheRead = n('cache_read_input_tokens');
  const cacheWrite = n('cache_creation_input_tokens');
  return {
    inputTokens: n('input_tokens') + cacheRead + cacheWrite,
    outputTokens: n('output_tokens'),
    cachedInputTokens: cacheRead,
    ...(cacheWrite > 0 ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

/** A Messages API response as an OpenAI chat.completion. Thinking blocks are not part of OpenAI's shape and are dropped. */
export function toChatCompletion(message: Json, created = Math.floor(Date.now() / 1000)): Json {
  const blocks = Array.isArray(message.content) ? (message.content as AnthropicBlock[]) : [];
  let text = '';
  const toolCalls: Json[] = [];
  for (const block of blocks) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  const usage = usageFromAnthropic(message.usage);
  return {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(message.stop_reason) ?? 'stop',
      },
    ],
    ...(usage ? { usage: usageToOpenAI(usage) } : {}),
  };
}

/** HTTP status Anthropic uses for each error type, for errors that arrive as stream events. */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

interface AnthropicErrorBody {
  type?: string;
  error?: { type?: string; message?: string };
}

const MAX_MESSAGE = 300;

/** `{type:'error', error:{type, message}}` → message plus the same error in OpenAI's shape for the caller. */
export function describeAnthropicError(status: number, body: unknown, text: string): UpstreamFailure {
  const error = (body as AnthropicErrorBody | undefined)?.error;
  const type = typeof error?.type === 'string' ? error.type : 'upstream_error';
  const message = typeof error?.message === 'string' ? error.message : text.trim().slice(0, MAX_MESSAGE) || `HTTP ${status}`;
  return { message: `${type}: ${message}`, body: { error: { message, type, param: null, code: null } } };
}

/** An `error` event inside a 200 stream (e.g. overloaded_error) carries the status a plain response would have had. */
export function streamErrorEvent(event: AnthropicErrorBody): ProviderError {
  const type = event.error?.type ?? 'api_error';
  const status = ERROR_STATUS[type] ?? 500;
  const failure = describeAnthropicError(status, event, '');
  return new ProviderError(`anthropic stream failed with ${status}: ${failure.message}`, 'http', status, null, failure.body);
}
