import type { ChatCompletionRequest } from '../../shared/api.js';

/** The JSON a request asks for with `response_format`: an object, or a schema's top-level type and required keys. */
export interface RequestedJson {
  mode: 'json_object' | 'json_schema';
  /** `definition`: the schema as sent. */
  schema?: { type?: unknown; required: string[]; definition: unknown };
}

/** What `response_format` asks for, or null for text (none set, `text`, or a shape it does not know). */
export function requestedJson(request: ChatCompletionRequest): RequestedJson | null {
  const format = (request as { response_format?: { type?: unknown; json_schema?: { schema?: { type?: unknown; required?: unknown } } } }).response_format;
  if (format?.type === 'json_object') return { mode: 'json_object' };
  if (format?.type !== 'json_schema') return null;
  const schema = format.json_schema?.schema;
  return { mode: 'json_schema', ...(schema ? { schema: { type: schema.type, required: stringList(schema.required), definition: schema } } : {}) };
}

export function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((k): k is string => typeof k === 'string') : [];
}
