/**
 * The subset of JSONPath that rule files use (`$.team`, `$.a.b`, `$['a']`), resolved without
 * jsonpath-plus. Anything else parses to null and the caller falls back to json-rules-engine.
 */

const SEGMENT = /^(?:\.([A-Za-z0-9_]+)|\['([A-Za-z0-9_]+)'\]|\["([A-Za-z0-9_]+)"\])/;

/** `$.a['b']` -> ['a', 'b']; null when the path needs more than plain property steps. */
export function parseSimplePath(path: string): string[] | null {
  if (!path.startsWith('$')) return null;
  const segments: string[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return null;
    segments.push((match[1] ?? match[2] ?? match[3])!);
    rest = rest.slice(match[0].length);
  }
  // A bare `$` selects the whole value, which jsonpath-plus does too, but it is not worth a native case.
  return segments.length > 0 ? segments : null;
}

/**
 * jsonpath-plus (`wrap: false`) semantics for plain property steps: a step follows an own property
 * of a truthy value (strings included: `$.a.length`), and a missing step yields undefined.
 */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i]!;
    if (!current || !Object.hasOwn(current as object, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** json-rules-engine applies a condition path only to object fact values; other values pass through. */
export function applyFactPath(factValue: unknown, segments: readonly string[]): unknown {
  return factValue !== null && typeof factValue === 'object' ? readPath(factValue, segments) : factValue;
}
