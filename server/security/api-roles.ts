/** Who may do what on /api when tokens are set: each role can do everything the ones before it can. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const EDITOR_CHANGES = [/^\/policies\/[^/]+\/draft\/?$/i, /^\/(compile|import|simulate)\/?$/i];

/**
 * The least role a request below /api needs. viewer: read policies, versions, usage, budgets and
 * pricing; editor: drafts, compile, import, simulate; admin: publish, roll back, budgets, keys.
 * Anything not listed needs admin, so a route added later is closed until it is placed here.
 */
export function requiredRole(method: string, path: string): Role {
  if (/^\/keys(\/|$)/i.test(path)) return 'admin';
  if (method === 'GET' || method === 'HEAD') return 'viewer';
  return EDITOR_CHANGES.some((pattern) => pattern.test(path)) ? 'editor' : 'admin';
}

export const grants = (held: Role, needed: Role) => ROLES.indexOf(held) >= ROLES.indexOf(needed);
