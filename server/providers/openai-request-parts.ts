import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import { ProviderError } from './provider.js';

/** Pieces of an OpenAI chat request that every translation to another wire format reads the same way. */

/** `data:image/png;base64,AAAA` → media type and base64 data; percent-encoded data is re-encoded. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return null;
  const [, mediaType = '', params = '', payload = ''] = match;
  const data = params.split(';').includes('base64') ? payload : Buffer.from(decodeURIComponent(payload)).toString('base64');
  return { mediaType, data };
}

/** Models sometimes emit arguments that are not valid JSON; other providers need an object, so they travel wrapped. */
export function parseArguments(args: unknown): Record<string, unknown> {
  if (typeof args !== 'string' || args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { arguments: args };
  }
}

export function partsText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

export function stopSequences(stop: unknown): string[] {
  if (typeof stop === 'string') return stop ? [stop] : [];
  return Array.isArray(stop) ? stop.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

export interface OpenAIFunction {
  name?: string;
  description?: string;
  parameters?: unknown;
}

/** The functions a request offers, from `tools` and the legacy `functions` alike. */
export function requestFunctions(request: ChatCompletionRequest): OpenAIFunction[] {
  return [
    ...(request.tools ?? []).filter((t) => t.type === 'function').map((t) => (t.function ?? {}) as OpenAIFunction),
    ...((request.functions ?? []) as OpenAIFunction[]),
  ];
}

/** A content part the provider cannot take is the caller's fault: a 400 naming the part. */
export function unsupportedContent(provider: string, param: string, message: string): ProviderError {
  return new ProviderError(`${provider}: ${message}`, 'http', 400, null, {
    error: { message, type: 'invalid_request_error', param, code: 'unsupported_content' },
  });
}
