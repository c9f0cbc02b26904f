/** What a scope key is computed from: request facts and ledger records both carry these. */
export interface ScopeSubject {
  tags: Record<string, string>;
  serviceKey: string;
  user: string;
}

/**
 * The key a budget or rate limit counts under for one request: `global`, `serviceKey=<id>`,
 * `user=<id>` or `tag:<key>=<value>`. A request without the tag counts under `tag:<key>=`, a
 * scope of its own, so untagged traffic is limited together rather than not at all.
 */
export function scopeKey(scope: string, subject: ScopeSubject): string {
  if (scope === 'global') return 'global';
  if (scope === 'serviceKey') return `serviceKey=${subject.serviceKey}`;
  if (scope === 'user') return `user=${subject.user}`;
  if (scope.startsWith('tag:')) {
    const tag = scope.slice(4);
    return `tag:${tag}=${Object.hasOwn(subject.tags, tag) ? subject.tags[tag] : ''}`;
  }
  // The compiler validates scopes; an unknown one still counts, under its own name, rather than crash a request.
  return scope;
}
