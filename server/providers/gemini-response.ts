import type { Usage } from './provider.js';
import { ProviderError } from './provider.js';
import { usageToOpenAI } from './openai-usage.js';
import type { UpstreamFailure } from './upstream-endpoint.js';

type Json = Record<string, unknown>;

interface GeminiPart {
  text?: string;
  thought?: boolean;
  functionCall?: { name?: string; args?: unknown; id?: string };
}

export interface GeminiCandidate {
  content?: { parts?: GeminiPart[] };
  finishReason?: string;
}

const FINISH_REASONS: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'stop',
};

export function geminiFinishReason(reason: unknown, hasToolCalls: boolean): string | null {
  if (typeof reason !== 'string' || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (hasToolCalls && reason === 'STOP') return 'tool_calls';
  return FINISH_REASONS[reason] ?? 'stop';
}

/**
 * Gemini's usageMetadata: promptTokenCount already includes cachedContentTokenCount (as OpenAI's
 * prompt_tokens does); thinking tokens are billed as output, so they count as output here.
 */
export function usageFromGemini(raw: unknown): Usage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const u = raw as Record<string, unknown>;
  const n = (key: string): number => (typeof u[key] === 'number' ? (u[key] as number) : 0);
  if (typeof u.promptTokenCount !== 'number' && typeof u.candidatesTokenCount !== 'number') return null;
  return { inputTokens: n('promptTokenCount'), outputTokens: n('candidatesTokenCount') + n('thoughtsTokenCount'), cachedInputTokens: n('cachedContentTokenCount') };
}

/** Text and tool calls of one candidate; thought parts are not part of OpenAI's shape and are dropped. */
export function candidateContent(candidate: GeminiCandidate | undefined, callIndexBase = 0): { text: string; toolCalls: Json[] } {
  let text = '';
  const toolCalls: Json[] = [];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.thought) continue;
    if (typeof part.text === 'string') text += part.text;
    else if (part.functionCall?.name) {
      const index = callIndexBase + toolCalls.length;
      toolCalls.push({
        id: part.functionCall.id ?? `call_${index}`,
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    }
  }
  return { text, toolCalls };
}

/** A generateContent response as an OpenAI chat.completion. */
export function toChatCompletion(response: Json, model: string, created = Math.floor(Date.now() / 1000)): Json {
  const candidate = (response.candidates as GeminiCandidate[] | undefined)?.[0];
  const { text, toolCalls } = candidateContent(candidate);
  const usage = usageFromGemini(response.usageMetadata);
  return {
    id: typeof response.responseId === 'string' ? response.responseId : 'gemini',
    object: 'chat.completion',
    created,
    model: typeof response.modelVersion === 'string' ? response.modelVersion : model,
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
        finish_reason: geminiFinishReason(candidate?.finishReason, toolCalls.length > 0) ?? 'stop',
      },
    ],
    ...(usage ? { usage: usageToOpenAI(usage) } : {}),
  };
}

interface GeminiErrorBody {
  error?: { code?: number; message?: string; status?: string };
}

const MAX_MESSAGE = 300;

/** `{error:{code, message, status}}` → message plus the same error in OpenAI's shape for the caller. */
export function describeGeminiError(status: number, body: unknown, text: string): UpstreamFailure {
  const error = (body as GeminiErrorBody | undefined)?.error;
  const type = typeof error?.status === 'string' ? error.status : 'upstream_error';
  const message = typeof error?.message === 'string' ? error.message : text.trim().slice(0, MAX_MESSAGE) || `HTTP ${status}`;
  return { message: `${type}: ${message}`, body: { error: { message, type, param: null, code: null } } };
}

/** An error object inside a 200 stream carries the status a plain response would have had. */
export function streamError(body: GeminiErrorBody): ProviderError {
  const status = typeof body.error?.code === 'number' ? body.error.code : 500;
  const failure = describeGeminiError(status, body, '');
  return new ProviderError(`gemini stream failed with ${status}: ${failure.message}`, 'http', status, null, failure.body);
}
