/** What a secret becomes in any text Tollgate passes on, stores or logs. */
export const REDACTED = '[redacted]';

/**
 * Shapes that are secrets whoever configured them: a bearer credential, OpenAI/Anthropic style
 * keys (`sk-…`, `sk-proj-…`, `sk-ant-…`) and Google API keys (`AIza` and 35 more characters, what
 * Gemini uses). All stop at quotes and separators so a JSON text stays JSON after redaction.
 */
const SECRET_SHAPES = /\bBearer\s+[^\s"'`,;]+|\bsk-[A-Za-z0-9_-]{6,}|\bAIza[A-Za-z0-9_-]{35}/gi;

export type Redactor = (text: string) => string;

/**
 * The one redaction step for upstream error text (plain errors, stream error events, the
 * ledger's `error` field, logs): every configured secret, then every secret shape, replaced.
 * Longer secrets go first so a key that contains another is removed whole.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out.replace(SECRET_SHAPES, (match) => (/^bearer/i.test(match) ? `Bearer ${REDACTED}` : REDACTED));
}

/** A redactor bound to the configured secrets (empty ones dropped), built once at start. */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => redactSecrets(text, known);
}

const MAX_DEPTH = 20;

/** Every string inside a JSON-like value redacted (keys too); other values kept. For error bodies and log objects. */
export function redactValue(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1));
  if (value instanceof Error) return redactError(value, redact, depth);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[redact(key)] = redactValue(item, redact, depth + 1);
  return out;
}

/** A copy with the same prototype (so loggers still see an error of that class), message, stack and own fields redacted. */
function redactError(error: Error, redact: Redactor, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error & Record<string, unknown>;
  for (const [key, item] of Object.entries(error)) copy[redact(key)] = redactValue(item, redact, depth + 1);
  Object.defineProperty(copy, 'message', { value: redact(error.message), enumerable: false, writable: true, configurable: true });
  if (error.stack) Object.defineProperty(copy, 'stack', { value: redact(error.stack), enumerable: false, writable: true, configurable: true });
  if ('cause' in error) Object.defineProperty(copy, 'cause', { value: redactValue(error.cause, redact, depth + 1), enumerable: false, writable: true, configurable: true });
  return copy;
}
