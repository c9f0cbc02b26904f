import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Role } from './api-roles.js';

const MIN_LENGTH = 16;

/**
 * The tokens that open /api, one per role. Only their SHA-256 is kept, and a presented token is
 * hashed too before constant-time compares against every role's, so neither a length, a prefix
 * nor which role matched leaks through timing.
 */
export class AccessTokens {
  private readonly digests: { role: Role; digest: Buffer }[];

  constructor(tokens: Partial<Record<Role, string>>) {
    this.digests = Object.entries(tokens).map(([role, token]) => {
      if (token.length < MIN_LENGTH) throw new Error(`the ${role} token must be at least ${MIN_LENGTH} characters`);
      return { role: role as Role, digest: sha256(token) };
    });
    if (!tokens.admin) throw new Error('editor and viewer tokens need an admin token too (TOLLGATE_ADMIN_TOKEN)');
    if (new Set(this.digests.map((d) => d.digest.toString('hex'))).size !== this.digests.length) throw new Error('each role needs a token of its own');
  }

  /** The role an `Authorization: Bearer …` header grants, or null. */
  roleOf(authorization: string | undefined): Role | null {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return null;
    const presented = sha256(match[1]!.trim());
    let role: Role | null = null;
    for (const d of this.digests) if (timingSafeEqual(presented, d.digest)) role = d.role;
    return role;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

const VARIABLES: Record<Role, string> = { admin: 'TOLLGATE_ADMIN_TOKEN', editor: 'TOLLGATE_EDITOR_TOKEN', viewer: 'TOLLGATE_VIEWER_TOKEN' };

/**
 * TOLLGATE_ADMIN_TOKEN (and optionally TOLLGATE_EDITOR_TOKEN, TOLLGATE_VIEWER_TOKEN), each also
 * as `<name>_FILE` naming a file whose first line is the token (Docker and Kubernetes secrets).
 * Null when no token is set: /api is then open, and the server listens on loopback only.
 */
export async function readAccessTokens(env: Record<string, string | undefined>): Promise<AccessTokens | null> {
  const tokens: Partial<Record<Role, string>> = {};
  for (const [role, name] of Object.entries(VARIABLES) as [Role, string][]) {
    const token = await readToken(env, name);
    if (token !== null) tokens[role] = token;
  }
  if (Object.keys(tokens).length === 0) return null;
  try {
    return new AccessTokens(tokens);
  } catch (error) {
    throw new Error(`admin tokens: ${(error as Error).message}`);
  }
}

async function readToken(env: Record<string, string | undefined>, name: string): Promise<string | null> {
  const direct = env[name]?.trim();
  const file = env[`${name}_FILE`]?.trim();
  if (direct && file) throw new Error(`set ${name} or ${name}_FILE, not both`);
  if (direct) return direct;
  if (!file) return null;
  try {
    return (await readFile(file, 'utf8')).split(/\r?\n/)[0]!.trim();
  } catch (error) {
    throw new Error(`${name}_FILE: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
