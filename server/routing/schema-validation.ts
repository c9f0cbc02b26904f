import { Ajv, type ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';

/** Larger schemas are checked at the top level only: compiling one costs about a millisecond per few KB. */
const MAX_SCHEMA_CHARS = 32_768;

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
interface Compiled {
  validate: ValidateFunction | null;
  /** What Ajv keeps it under, removed from Ajv when the entry leaves this cache: Ajv's own cache is unbounded. */
  schema: object | null;
}
/** Compiled schemas by their text (a service sends the same few schemas again and again). */
const compiled = new LRUCache<string, Compiled>({
  max: 256,
  dispose: (entry) => {
    if (entry.schema) ajv.removeSchema(entry.schema);
  },
});

/**
 * Where a JSON value breaks a JSON Schema the caller sent (`"/x: must be number"`), null when it
 * keeps it, or undefined when the schema cannot be checked here: too large, not a valid schema,
 * or one that matches keys by pattern. Regular expressions are the caller's: a `pattern` is
 * dropped before compiling (a crafted one could keep the gateway busy for ever), and a schema
 * with `patternProperties` is left to its top-level check (dropping those would change which
 * keys are allowed).
 */
export function schemaViolation(schema: unknown, value: unknown): string | null | undefined {
  const validate = validatorFor(schema);
  if (!validate) return undefined;
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  return error ? `${error.instancePath || '/'}: ${error.message ?? 'does not match'}` : 'does not match';
}

function validatorFor(schema: unknown): ValidateFunction | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const text = JSON.stringify(schema);
  if (text.length > MAX_SCHEMA_CHARS) return null;
  const known = compiled.get(text);
  if (known) return known.validate;
  const entry: Compiled = { validate: null, schema: null };
  if (!text.includes('"patternProperties"')) {
    // Ajv refuses a second schema under an $id it holds: this cache, keyed by text, names them instead.
    const { $id: _id, ...copy } = withoutPatterns(schema) as Record<string, unknown>;
    try {
      entry.validate = ajv.compile(copy);
      entry.schema = copy;
    } catch {
      // Not a schema Ajv can compile here (a remote $ref, an $id already taken...): top-level checks only.
      ajv.removeSchema(copy);
    }
  }
  compiled.set(text, entry);
  return entry.validate;
}

/** A copy without `pattern` keywords (a property named "pattern" under `properties` is kept). */
function withoutPatterns(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutPatterns(n));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === 'pattern' && !underProperties && typeof child === 'string') continue;
    out[key] = withoutPatterns(child, key === 'properties' || key === '$defs' || key === 'definitions');
  }
  return out;
}
