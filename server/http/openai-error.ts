import type { Response } from 'express';
import type { z } from 'zod';
import type { OpenAIError } from '../../shared/api.js';

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'rate_limit_error'
  | 'policy_blocked'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'not_found_error'
  | 'server_error';

/** An error that leaves the runtime in OpenAI's shape, so SDKs surface the message and param. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAIErrorType = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  toBody(): OpenAIError {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function sendError(res: Response, error: HttpError): void {
  res.status(error.status).json(error.toBody());
}

/** `messages[0].content` from zod's path, the way OpenAI names params. */
export function paramPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** Parses a body with a shared schema; the first issue becomes a 400 naming the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const param = paramPath(issue.path);
  const message = issue.code === 'invalid_type' && issue.input === undefined ? `'${param}' is required` : `'${param || 'body'}': ${issue.message}`;
  throw new HttpError(400, message, 'invalid_request_error', param || null, issue.code === 'invalid_type' && issue.input === undefined ? 'missing_required_parameter' : 'invalid_value');
}
