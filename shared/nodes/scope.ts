import { z } from 'zod';

/**
 * Who a budget or rate limit counts for: `global` (everyone together), `serviceKey`, `user`,
 * or `tag:<key>` (each value of that tag separately, e.g. `tag:team`).
 */
export const ScopeSchema = z
  .string()
  .regex(/^(global|serviceKey|user|tag:[A-Za-z_][A-Za-z0-9_]*)$/, 'use global, serviceKey, user or tag:<key> (e.g. tag:team)');

export function describeScope(scope: string): string {
  return scope.startsWith('tag:') ? `per ${scope.slice(4)}` : scope === 'global' ? 'global' : `per ${scope}`;
}
