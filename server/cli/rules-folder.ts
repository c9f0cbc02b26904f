import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export class CliError extends Error {}

/**
 * The rules folder the CLI writes to and checks: `--rules DIR`, else TOLLGATE_RULES, else the
 * nearest `rules/` folder at or above the working directory (so the CLI works from any folder
 * inside a project). Null when there is none; commands that need one say how to name it.
 */
export function findRulesFolder(options: { flag?: string; env?: string; cwd: string }): string | null {
  const named = options.flag ?? options.env;
  if (named) {
    const dir = path.resolve(options.cwd, named);
    if (!isDir(dir)) throw new CliError(`the rules folder ${dir} does not exist (from ${options.flag ? '--rules' : 'TOLLGATE_RULES'})`);
    return dir;
  }
  for (let dir = path.resolve(options.cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'rules');
    if (isDir(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

export const NO_RULES_FOLDER = 'no rules/ folder here or above; pass --rules DIR, set TOLLGATE_RULES, or name the files';

function isDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}
