import type { Response } from 'express';
import type { z } from 'zod';
import type { ApiError } from '../../shared/api.js';
import type { Diagnostic } from '../../shared/diagnostics.js';

/** Errors on /api: `{error: {message, code, field?}, diagnostics?}`. */
export class ApiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly field?: string,
    readonly diagnostics?: Diagnostic[],
  ) {
    super(message);
  }

  toBody(): ApiError {
    return {
      error: { message: this.message, code: this.code, ...(this.field ? { field: this.field } : {}) },
      ...(this.diagnostics ? { diagnostics: this.diagnostics } : {}),
    };
  }
}

export function sendApiError(res: Response, error: ApiHttpError): void {
  res.status(error.status).json(error.toBody());
}

export function parseApiBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new ApiHttpError(400, `${field || 'body'}: ${issue.message}`, 'invalid_body', field || undefined);
}
