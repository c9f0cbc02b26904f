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
  // zod reports a missing field and one of the wrong type alike (invalid_type): the body tells them apart.
  const missing = (issue.code === 'invalid_type' || issue.code === 'custom' || issue.code === 'invalid_union') && issue.path.length > 0 && !present(body, issue.path);
  if (options.surface === 'api') {
    const field = [...(options.at ?? []), ...issue.path.map(String)].join('.');
    throw new HttpError({ status: 400, message: `${field || 'body'}: ${missing ? 'required' : issue.message}`, code: options.code ?? 'invalid_body', field: field || null });
  }
  const param = paramPath(issue.path);
  if (issue.path.length === 0 && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new HttpError({ status: 400, message: 'The body must be a JSON object', type: 'invalid_request_error', field: null, code: 'invalid_type' });
  }
  throw new HttpError({
    status: 400,
    message: missing ? `'${param}' is required` : `'${param || 'body'}': ${issue.message}`,
    type: 'invalid_request_error',
    field: param || null,
    code: missing ? 'missing_required_parameter' : issue.code === 'invalid_type' ? 'invalid_type' : 'invalid_value',
  });
}

/** Whether the body holds a value (null included) at the path. */
function present(body: unknown, path: readonly PropertyKey[]): boolean {
  let at: unknown = body;
  for (const part of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) return false;
    at = (at as Record<PropertyKey, unknown>)[part];
  }
  return at !== undefined;
}
