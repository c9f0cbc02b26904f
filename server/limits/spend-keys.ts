import type { ScopeSubject } from './scope-key.js';

/** Internal key: spend of requests that carry the tag with any non-empty value. */
export const taggedKey = (tag: string): string => `tag:${tag}*`;

/**
 * Every key one request's money is counted under: `global`, its service key, its user and each
 * of its tags (plus the "any value" key per tag), so a budget on any scope is answered without
 * knowing the policies in advance.
 */
export function spendKeys(subject: ScopeSubject): string[] {
  const keys = ['global', `serviceKey=${subject.serviceKey}`, `user=${subject.user}`];
  for (const [tag, value] of Object.entries(subject.tags)) {
    if (value === '') continue;
    keys.push(`tag:${tag}=${value}`, taggedKey(tag));
  }
  return keys;
}

/**
 * Reads a total kept under spendKeys for a scope key. `tag:<key>=` (untagged) is not stored:
 * it is global minus everything tagged with that key.
 */
export function totalOf(totals: ReadonlyMap<string, number>, key: string): number {
  // endsWith first: this runs on every budget check, and only untagged keys end in "=".
  const untagged = key.endsWith('=') ? /^tag:([^=]+)=$/.exec(key) : null;
  if (untagged) return Math.max(0, (totals.get('global') ?? 0) - (totals.get(taggedKey(untagged[1]!)) ?? 0));
  return totals.get(key) ?? 0;
}
