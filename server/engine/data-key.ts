/**
 * A canonical string for JSON-like data. Dynamic fact params with equal keys share one memo
 * slot, mirroring json-rules-engine's cache key (hash-it of the params): key order does not
 * matter, `-0` equals `0`, and a key holding undefined differs from a missing key.
 * Null for anything that is not plain data (functions, class instances, symbols...), which
 * the fast path refuses so such files go to the reference evaluator.
 */
export function dataKey(value: unknown): string | null {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return `d${String(value)}`;
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return value === null ? 'n' : objectKey(value);
    default:
      return null;
  }
}

function objectKey(value: object): string | null {
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const key = dataKey(item);
      if (key === null) return null;
      items.push(key);
    }
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  const entries: string[] = [];
  for (const name of Object.keys(value).sort()) {
    const key = dataKey((value as Record<string, unknown>)[name]);
    if (key === null) return null;
    entries.push(`${JSON.stringify(name)}:${key}`);
  }
  return `{${entries.join(',')}}`;
}
