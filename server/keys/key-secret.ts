import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const KEY_SECRET_FILE = 'key-secret';

/**
 * The HMAC secret service keys are hashed with: TOLLGATE_KEY_SECRET, or a random one kept in
 * `<dataDir>/key-secret` (0600). A stolen keys.json alone cannot be checked against guesses
 * without it. Changing it invalidates every issued key.
 */
export async function loadKeySecret(dataDir: string, env: Record<string, string | undefined>): Promise<Buffer> {
  const fromEnv = env.TOLLGATE_KEY_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error('TOLLGATE_KEY_SECRET must be at least 16 characters');
    return Buffer.from(fromEnv, 'utf8');
  }
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, KEY_SECRET_FILE);
  try {
    // 'wx': two processes starting at once must not each write a different secret.
    await writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${file} is shorter than 32 characters; delete it to make a new one (issued keys stop working)`);
  return Buffer.from(secret, 'utf8');
}
