import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The benchmark data folder: `TOLLGATE_BENCH_DATA`, else `shared/data` next to the checkout
 * (or next to its parent, for a git worktree one level further down).
 */
export function benchDataDir(): string {
  const candidates = [process.env.TOLLGATE_BENCH_DATA, path.resolve(REPO, '..', 'shared', 'data'), path.resolve(REPO, '..', '..', 'shared', 'data')];
  return candidates.find((dir): dir is string => !!dir && existsSync(dir)) ?? candidates[1]!;
}
