import type { ChatCompletionRequest } from '../../shared/api.js';
import { requestedJson, stringList } from '../facts/response-format.js';
import type { SchemaCheck } from './schema-checker.js';

/** The version the ledger names for format verdicts (the answer check's weights name maths verdicts). */
export const FORMAT_CHECK_VERSION = 'format-2';

interface DeclaredTool {
  name: string;
  required: string[];
  /** The declared `parameters` schema, checked in full where it can be (schemaViolation). */
  parameters: unknown;
}

/** Whether the request asks for an answer a parser must read: JSON (`response_format`) or tool calls. */
export function asksForFormat(request: ChatCompletionRequest): boolean {
  return requestedJson(request) !== null || (request.tools?.length ?? 0) > 0;
}

/**
 * Why a cheap answer breaks the format the request asked for, or null when it keeps it (or none
 * was asked for): content that is not the JSON `response_format` asked for (a `json_schema`'s
 * type, required keys and the rest of the schema, see schemaViolation), or a tool call whose
 * arguments are not a JSON object, name no declared tool, or break its parameters schema. Such an answer
 * fails in the caller's parser whatever its quality, which makes it the surest case for asking
 * the strong model again. Pure but for `checkSchema` (schemaViolation itself, or the runtime's
 * worker thread, since compiling a fresh schema can take tens of milliseconds).
 */
export async function formatProblem(request: ChatCompletionRequest, body: Record<string, unknown>, checkSchema: SchemaCheck): Promise<string | null> {
  const message = (body.choices as { message?: { content?: unknown; tool_calls?: unknown } }[] | undefined)?.[0]?.message;
  if (!message) return null;
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as { function?: { name?: unknown; arguments?: unknown } }[]) : [];
  if (calls.length > 0) return toolCallProblem(request, calls, checkSchema);
  const format = requestedJson(request);
  if (!format || typeof message.content !== 'string') return null;
  const value = parseJson(message.content);
  if (value === undefined) return 'the answer is not JSON';
  if (format.mode === 'json_object' || format.schema?.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the answer is JSON but not an object';
  }
  if (!format.schema) return null;
  const missing = missingKeys(value, format.schema.required);
  if (missing.length) return `the answer lacks required key "${missing[0]}"`;
  const violation = await checkSchema(format.schema.definition, value);
  return violation ? `the answer breaks the schema at ${violation}` : null;
}

async function toolCallProblem(request: ChatCompletionRequest, calls: { function?: { name?: unknown; arguments?: unknown } }[], checkSchema: SchemaCheck): Promise<string | null> {
  const declared = declaredTools(request);
  for (const call of calls) {
    const name = typeof call.function?.name === 'string' ? call.function.name : '';
    const args = typeof call.function?.arguments === 'string' ? parseJson(call.function.arguments) : undefined;
    if (args === undefined || typeof args !== 'object' || args === null || Array.isArray(args)) return `tool call "${name}" has arguments that are not a JSON object`;
    if (declared === null) continue;
    const tool = declared.get(name);
    if (!tool) return `tool call names no declared tool "${name}"`;
    const missing = missingKeys(args, tool.required);
    if (missing.length) return `tool call "${name}" lacks required "${missing[0]}"`;
    const violation = tool.parameters === undefined ? null : await checkSchema(tool.parameters, args);
    if (violation) return `tool call "${name}" breaks its parameters at ${violation}`;
  }
  return null;
}

/** The tools the request declares, by name; null when it declares none the check can read (then only the arguments' JSON is checked). */
function declaredTools(request: ChatCompletionRequest): Map<string, DeclaredTool> | null {
  const tools = new Map<string, DeclaredTool>();
  for (const tool of request.tools ?? []) {
    const fn = (tool as { function?: { name?: unknown; parameters?: { required?: unknown } } }).function;
    if (typeof fn?.name !== 'string') continue;
    tools.set(fn.name, { name: fn.name, required: stringList(fn.parameters?.required), parameters: fn.parameters });
  }
  return tools.size ? tools : null;
}

function missingKeys(value: unknown, required: string[]): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return required.filter((k) => !(k in value));
}

/** The parsed value, or undefined for text that is not JSON (a fenced block is not: the caller's parser reads the raw text). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
