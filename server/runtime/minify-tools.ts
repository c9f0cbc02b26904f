import type { ChatCompletionRequest } from '../../shared/api.js';

type Tool = NonNullable<ChatCompletionRequest['tools']>[number];
type Schema = Record<string, unknown>;

/** Schema keywords the model does not read to call a tool well: generators (Pydantic, zod-to-json-schema) add them to every field. */
const DROPPED = new Set(['title', '$schema', '$id', '$comment', 'examples']);
/** Keywords whose value is a map of names to schemas: the names are data, never dropped. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties']);

/** Tool definitions without titles, $schema, examples and runs of whitespace in descriptions; names, types, enums and required lists stay. */
export function minifyTools(tools: Tool[]): Tool[] {
  return tools.map((tool) => {
    const fn = tool.function as Schema | undefined;
    if (!fn) return tool;
    const out: Schema = { ...fn };
    if (typeof fn.description === 'string') out.description = squeeze(fn.description);
    if (fn.parameters && typeof fn.parameters === 'object') out.parameters = minifySchema(fn.parameters as Schema);
    return { ...tool, function: out } as Tool;
  });
}

function minifySchema(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === 'description' && typeof value === 'string') {
      const text = squeeze(value);
      if (text) out.description = text;
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, isObject(s) ? minifySchema(s) : s]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((s) => (isObject(s) ? minifySchema(s) : s));
    } else if (SCHEMA_VALUES.has(key) && isObject(value)) {
      out[key] = minifySchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
