import { z } from 'zod';

/**
 * Who a budget or rate limit counts for: `global` (everyone together), `serviceKey`, `user`,
 * or `tag:<key>` (each value of that tag separately, e.g. `tag:team`).
 */
export const ScopeSchema = z
  .string()
  .regex(/^(global|serviceKey|user|tag:[A-Za-z_][A-Za-z0-9_]*)$/, 'use global, serviceKey, user or tag:<key> (e.g. tag:team)')
  // The inspector draws a scope picker for any field of this schema, whatever the kind.
  .meta({ input: 'scope' });

export function describeScope(scope: string): string {
  return scope.startsWith('tag:') ? `per ${scope.slice(4)}` : scope === 'global' ? 'global' : `per ${scope}`;
}

const WINDOW_ADJECTIVE: Record<string, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

/** Whose the thing is, as a sentence starts ("each team's own", "one shared"), for a noun such as "daily budget". */
export function scopeOwner(scope: string): string {
  if (scope === 'global') return 'one shared';
  if (scope === 'serviceKey') return "each service key's own";
  if (scope === 'user') return "each user's own";
  const key = scope.startsWith('tag:') ? scope.slice(4) : scope;
  return `each ${key}'s own`;
}

export function windowAdjective(window: string): string {
  return WINDOW_ADJECTIVE[window] ?? window;
}
