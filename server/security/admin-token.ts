import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const MIN_LENGTH = 16;

/**
 * The admin token that guards /api. Only its SHA-256 is kept, and presented tokens are hashed
 * too before a constant-time compare, so neither the length nor a prefix leaks through timing.
 */
export class AdminToken {
  private readonly digest: Buffer;

  constructor(token: string) {
    if (token.length < MIN_LENGTH) throw new Error(`the admin token must be at least ${MIN_LENGTH} characters`);
    this.digest = sha256(token);
  }

  /** True when an `Authorization` header carries the token as a bearer. */
  matches(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return false;
    return timingSafeEqual(sha256(match[1]!.trim()), this.digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** TOLLGATE_ADMIN_TOKEN, or the first line of the file TOLLGATE_ADMIN_TOKEN_FILE names (for Docker and Kubernetes secrets); null when neither is set. */
export async function readAdminToken(env: Record<string, string | undefined>): Promise<AdminToken | null> {
  const direct = env.TOLLGATE_ADMIN_TOKEN?.trim();
  const file = env.TOLLGATE_ADMIN_TOKEN_FILE?.trim();
  if (direct && file) throw new Error('set TOLLGATE_ADMIN_TOKEN or TOLLGATE_ADMIN_TOKEN_FILE, not both');
  if (direct) return withName(() => new AdminToken(direct), 'TOLLGATE_ADMIN_TOKEN');
  if (!file) return null;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`TOLLGATE_ADMIN_TOKEN_FILE: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const token = text.split(/\r?\n/)[0]!.trim();
  return withName(() => new AdminToken(token), `TOLLGATE_ADMIN_TOKEN_FILE (${file})`);
}

function withName(make: () => AdminToken, name: string): AdminToken {
  try {
    return make();
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
