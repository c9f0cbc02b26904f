import type { OpenAIError } from '../../shared/api.js';
import type { RouteFailedError } from '../providers/call-route.js';
import { NOT_CONFIGURED } from '../providers/unconfigured-provider.js';

export interface Failure {
  status: number;
  message: string;
  body: OpenAIError;
}

/**
 * The answer when every target of a route failed. A provider's own 4xx (a bad request the
 * caller sent) passes through as it was; otherwise the caller gets 502, 504 when the last
 * attempt timed out, or 503 when it went to a provider nobody configured (the message names the
 * variable to set), with every attempt listed.
 */
export function failureFromRoute(error: RouteFailedError): Failure {
  const last = error.lastError;
  const tried = error.attempts.map((a) => `${a.model} via ${a.provider}: ${a.error ?? 'ok'}`).join('; ');
  if (last.kind === 'http' && last.status !== null && last.status >= 400 && last.status < 500 && !last.retryable) {
    const upstream = (last.body as { error?: { message?: unknown; type?: unknown; param?: unknown; code?: unknown } } | null)?.error;
    const message = typeof upstream?.message === 'string' ? upstream.message : last.message;
    return {
      status: last.status,
      message,
      body: {
        error: {
          message,
          type: typeof upstream?.type === 'string' ? upstream.type : 'invalid_request_error',
          param: typeof upstream?.param === 'string' ? upstream.param : null,
          code: typeof upstream?.code === 'string' ? upstream.code : null,
        },
      },
    };
  }
  if (last.kind === 'not-configured') {
    const count = `${error.attempts.length} attempt${error.attempts.length === 1 ? '' : 's'}`;
    const none = error.attempts.every((a) => !a.ok && a.error?.includes(NOT_CONFIGURED));
    const message = none
      ? `No provider on this route is configured (${count}): ${tried}`
      : `Every provider on this route failed and the last one is not configured (${count}): ${tried}`;
    return { status: 503, message, body: { error: { message, type: 'upstream_error', param: null, code: 'provider_not_configured' } } };
  }
  const status = last.kind === 'timeout' ? 504 : 502;
  const message = `Every provider on this route failed (${error.attempts.length} attempt${error.attempts.length === 1 ? '' : 's'}): ${tried}`;
  return { status, message, body: { error: { message, type: 'upstream_error', param: null, code: last.kind === 'timeout' ? 'upstream_timeout' : 'upstream_failed' } } };
}
