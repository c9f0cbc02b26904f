import type { OpenAIError } from '../../shared/api.js';

/** Anthropic's error types by status, so its SDKs raise the class a caller catches (RateLimitError, AuthenticationError…). */
function errorType(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  return 'api_error';
}

/**
 * An error in the Messages API's shape. Tollgate's own code (budget_exceeded, no_matching_rule…)
 * and the field at fault stay beside Anthropic's two fields, for callers that read them.
 */
export function anthropicError(status: number, body: OpenAIError): Record<string, unknown> {
  const { message, code, param } = body.error;
  return { type: 'error', error: { type: errorType(status), message, ...(code ? { code } : {}), ...(param ? { param } : {}) } };
}
