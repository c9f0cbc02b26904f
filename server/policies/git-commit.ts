import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitCommitInput {
  /** The rule file just written. */
  file: string;
  message: string;
  /** Who published: the commit's author. The runtime is the committer. */
  author: string;
}

export type GitCommitResult = { committed: true; commit: string } | { committed: false; reason: string };

/** "Ana Lima" → "Ana Lima <ana-lima@tollgate.invalid>": git wants an address, the editor knows a name. */
function authorLine(name: string): string {
  const clean = name.replace(/[<>\n]/g, '').trim() || 'Tollgate editor';
  const local = clean.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'editor';
  return `${clean} <${local}@tollgate.invalid>`;
}

/**
 * Commits one rule file with the publisher's message and name, touching nothing else staged in
 * the work tree (`git commit -- <file>` commits that path only). A rules folder outside a git
 * work tree, or a git that refuses, is reported, never thrown: the publish itself already happened.
 */
export async function commitRuleFile({ file, message, author }: GitCommitInput): Promise<GitCommitResult> {
  const cwd = path.dirname(file);
  const env = { ...process.env, GIT_COMMITTER_NAME: 'Tollgate', GIT_COMMITTER_EMAIL: 'tollgate@tollgate.invalid' };
  const git = (args: string[]) => run('git', args, { cwd, env, timeout: 15_000 });
  try {
    await git(['rev-parse', '--is-inside-work-tree']);
  } catch {
    return { committed: false, reason: `${cwd} is not inside a git work tree` };
  }
  try {
    await git(['add', '--', file]);
    await git(['commit', '--quiet', '--author', authorLine(author), '-m', message, '--', file]);
    const { stdout } = await git(['rev-parse', 'HEAD']);
    return { committed: true, commit: stdout.trim() };
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    return { committed: false, reason: `git commit failed: ${detail.split('\n')[0]}` };
  }
}
