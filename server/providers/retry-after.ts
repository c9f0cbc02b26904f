import type { IncomingHttpHeaders } from 'node:http';

/**
 * How long a 429 or 503 asks us to wait, in ms, or null when it does not say. OpenAI also sends
 * `retry-after-ms`, which is finer than the standard header, so it wins when present.
 */
export function retryAfterMs(headers: IncomingHttpHeaders, now = Date.now()): number | null {
  const precise = headerValue(headers['retry-after-ms']);
  if (precise !== undefined) {
    const ms = Number(precise);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const value = headerValue(headers['retry-after']);
  return value === undefined ? null : parseRetryAfter(value, now);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date in the past means now. */
export function parseRetryAfter(value: string, now = Date.now()): number | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
