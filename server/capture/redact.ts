import { createHmac } from 'node:crypto';

/**
 * Secrets and personal data are replaced before a captured request is stored. A replacement
 * carries a short salted hash of what it replaced, so two requests that differed in an email
 * still differ (their simulated cache keys stay apart) while the value itself is gone; the salt
 * lives only in memory.
 */
export interface Redactor {
  text(value: string): string;
  /** A deep copy of a JSON value with every string redacted, except under the keys in `keep`. */
  value(value: unknown, keep?: ReadonlySet<string>): unknown;
}

interface Pattern {
  kind: string;
  regex: RegExp;
  /** A second look at a match the regex cannot settle (Luhn, dates). */
  accept?: (match: string) => boolean;
}

/** Order matters: a key or card number contains digit runs the phone pattern would also take. */
const PATTERNS: readonly Pattern[] = [
  { kind: 'key', regex: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi },
  { kind: 'key', regex: /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g },
  { kind: 'key', regex: /\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: 'key', regex: /\b(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,})/g },
  // Tried only where a run of address characters starts: from every position inside one, a long run
  // without '@' (a base64 blob, a digit string) was scanned again to its end, quadratic in its length.
  { kind: 'email', regex: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'card', regex: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g, accept: (m) => luhnValid(m.replace(/[ -]/g, '')) },
  { kind: 'phone', regex: /(?<![\w+-])(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}(?![\w-])/g },
  { kind: 'phone', regex: /(?<![\w+])\+\d{8,15}(?!\w)/g },
];

/** Card numbers are 13 to 19 digits whose Luhn checksum holds; other long numbers (order ids) are kept. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A quick pre-check: text without '@', digits or key prefixes has nothing to redact (most chat text). */
const MAYBE = /[@\d]|sk|pk|rk|Bearer|AKIA|gh|xox/i;

export function createRedactor(salt: Buffer | string): Redactor {
  const mark = (kind: string, match: string) => `[redacted-${kind}:${createHmac('sha256', salt).update(match).digest('hex').slice(0, 8)}]`;
  const text = (value: string): string => {
    if (!MAYBE.test(value)) return value;
    let out = value;
    for (const { kind, regex, accept } of PATTERNS) {
      out = out.replace(regex, (match) => (accept && !accept(match) ? match : mark(kind, match)));
    }
    return out;
  };
  const value = (input: unknown, keep: ReadonlySet<string> = new Set()): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map((item) => value(item));
    if (input !== null && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(input)) out[key] = keep.has(key) ? v : value(v);
      return out;
    }
    return input;
  };
  return { text, value };
}
