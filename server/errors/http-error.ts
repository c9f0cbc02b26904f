import type { ApiError, OpenAIError } from '../../shared/api.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { anthropicError } from './anthropic-error.js';
import type { ErrorSurface } from './error-surface.js';

/** OpenAI's error types, plus Tollgate's own for refusals by policy. */
export type ErrorType =
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'policy_blocked'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'not_found_error'
  | 'server_error';

export interface HttpErrorOptions {
  status: number;
  message: string;
  /** A stable code for programs: `policy_not_found`, `invalid_body`... */
  code?: string | null;
  /** The OpenAI error type on /v1. */
  type?: ErrorType;
  /** The field at fault: `param` on /v1, `field` on /api. */
  field?: string | null;
  /** Compiler diagnostics, on /api. */
  diagnostics?: Diagnostic[];
}

/**
 * The one error a handler throws to answer with a 4xx or 5xx. It renders in the wire shape of
 * the surface it was thrown on: OpenAI's `{error: {message, type, param, code}}` on /v1, so SDKs
 * surface the message and param, Anthropic's `{type: "error", error: {type, message}}` under
 * /v1/messages, and `{error: {message, code, field?}, diagnostics?}` on /api.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly type: ErrorType;
  readonly field: string | null;
  readonly diagnostics: Diagnostic[] | undefined;

  constructor(options: HttpErrorOptions) {
    super(options.message);
    this.status = options.status;
    this.code = options.code ?? null;
    this.type = options.type ?? (options.status >= 500 ? 'server_error' : 'invalid_request_error');
    this.field = options.field ?? null;
    this.diagnostics = options.diagnostics;
  }

  toOpenAI(): OpenAIError {
    return { error: { message: this.message, type: this.type, param: this.field, code: this.code } };
  }

  toApi(): ApiError {
    return {
      error: { message: this.message, code: this.code ?? 'error', ...(this.field ? { field: this.field } : {}) },
      ...(this.diagnostics ? { diagnostics: this.diagnostics } : {}),
    };
  }

  toAnthropic(): Record<string, unknown> {
    return anthropicError(this.status, this.toOpenAI());
  }

  toBody(surface: ErrorSurface): OpenAIError | ApiError | Record<string, unknown> {
    if (surface === 'api') return this.toApi();
    return surface === 'messages' ? this.toAnthropic() : this.toOpenAI();
  }
}
