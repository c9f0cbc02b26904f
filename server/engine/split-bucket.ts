import type { RequestFacts } from '../../shared/facts.js';
import type { SplitFactParams } from '../../shared/nodes/split.js';
import { parseSimplePath, readPath } from './json-path.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over UTF-16 code units: tiny, stable across processes, and well spread for short keys. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

function stickyText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The bucket 0..99 a request falls into for one split node: the same sticky value (a user, a
 * team tag) always lands in the same bucket, and the node id salts the hash so two splits on the
 * same value are independent.
 */
export function splitBucket(params: SplitFactParams, facts: RequestFacts): number {
  const record = facts as unknown as Record<string, unknown>;
  let value = Object.hasOwn(record, params.by) ? record[params.by] : undefined;
  if (params.path !== undefined) {
    const segments = parseSimplePath(params.path);
    value = segments ? readPath(value, segments) : undefined;
  }
  return fnv1a32(`${params.node}:${stickyText(value)}`) % 100;
}
