import type { z } from 'zod';
import { HttpError } from './http-error.js';

/** `messages[0].content` from zod's path, the way OpenAI names params. */
export function paramPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

export interface ParseOptions {
  /** `v1` names fields as OpenAI does (`messages[0].content`); `api` with dots (`graph.nodes.0.id`). */
  surface: 'v1' | 'api';
  /** The code of the 400 on /api (`invalid_body` unless told). */
  code?: string;
  /** Where the parsed value sits in the body, prefixed to the field named (`graph`). */
  at?: string[];
}

/** Parses a body (or query, or a part of either) with a shared schema, once; the first issue becomes a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, options: ParseOptions): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (options.surface === 'api') {
    const field = [...(options.at ?? []), ...issue.path.map(String)].join('.');
    throw new HttpError({ status: 400, message: `${field || 'body'}: ${issue.message}`, code: options.code ?? 'invalid_body', field: field || null });
  }
  const param = paramPath(issue.path);
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  throw new HttpError({
    status: 400,
    message: missing ? `'${param}' is required` : `'${param || 'body'}': ${issue.message}`,
    type: 'invalid_request_error',
    field: param || null,
    code: missing ? 'missing_required_parameter' : 'invalid_value',
  });
}
