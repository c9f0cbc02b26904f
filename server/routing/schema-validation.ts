import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';

/** Larger schemas are checked at the top level only: compiling one costs about a millisecond per few KB. */
const MAX_SCHEMA_CHARS = 32_768;
/**
 * Ajv keeps a few values for every schema it ever compiled, removeSchema or not (measured: 2 per
 * schema, 3 with a pattern), so a caller sending a fresh schema each request would grow it for
 * ever. After this many compiles the engine is replaced; validators already handed out still work.
 */
const COMPILES_PER_ENGINE = 1_024;

/**
 * The caller's regular expressions (`pattern`, `patternProperties`) run on RE2's linear-time
 * engine, so a crafted one such as `^(a+)+$` cannot hold the gateway. RE2 has no lookaround or
 * backreference: a schema using them is compiled again without its patterns.
 */
const re2: NonNullable<NonNullable<Options['code']>['regExp']> = Object.assign(
  (pattern: string, flags: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (text: string) => compiled.matcher(text).find(), toString: () => `/${pattern}/${flags}` };
  },
  { code: 'RE2JS' },
);

const newEngine = () => new Ajv({ strict: false, allErrors: false, validateFormats: false, code: { regExp: re2 } });
let engine = { ajv: newEngine(), compiles: 0 };

interface Compiled {
  validate: ValidateFunction | null;
  /** What its engine keeps it under, removed when the entry leaves this cache: Ajv's own cache is unbounded. */
  schema: object | null;
  engine: Ajv;
}
/** Compiled schemas by their text (a service sends the same few schemas again and again). */
const compiled = new LRUCache<string, Compiled>({
  max: 256,
  dispose: (entry) => {
    if (entry.schema) entry.engine.removeSchema(entry.schema);
  },
});

/**
 * Where a JSON value breaks a JSON Schema the caller sent (`"/x: must be number"`), null when it
 * keeps it, or undefined when the schema cannot be checked here: too large or not a valid schema.
 */
export function schemaViolation(schema: unknown, value: unknown): string | null | undefined {
  const validate = validatorFor(schema);
  if (!validate) return undefined;
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  return error ? `${error.instancePath || '/'}: ${error.message ?? 'does not match'}` : 'does not match';
}

/** For tests and diagnostics: how many schemas the current engine has compiled (never past COMPILES_PER_ENGINE). */
export function schemaEngineCompiles(): number {
  return engine.compiles;
}

function validatorFor(schema: unknown): ValidateFunction | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const text = JSON.stringify(schema);
  if (text.length > MAX_SCHEMA_CHARS) return null;
  const known = compiled.get(text);
  if (known) return known.validate;
  // Ajv refuses a second schema under an $id it holds: this cache, keyed by text, names them instead.
  const { $id: _id, ...copy } = schema as Record<string, unknown>;
  const entry = compileOne(copy) ?? (text.includes('"patternProperties"') ? null : compileOne(withoutPatterns(copy) as Record<string, unknown>));
  compiled.set(text, entry ?? { validate: null, schema: null, engine: engine.ajv });
  return entry?.validate ?? null;
}

function compileOne(schema: Record<string, unknown>): Compiled | null {
  if (engine.compiles >= COMPILES_PER_ENGINE) engine = { ajv: newEngine(), compiles: 0 };
  engine.compiles++;
  const ajv = engine.ajv;
  try {
    return { validate: ajv.compile(schema), schema, engine: ajv };
  } catch {
    // Not a schema Ajv can compile here (a remote $ref, a pattern RE2 cannot run...).
    ajv.removeSchema(schema);
    return null;
  }
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
