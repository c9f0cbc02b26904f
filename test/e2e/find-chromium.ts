import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';

/**
 * Where a Chromium the browser stories can launch lives. Debian's /usr/bin/chromium is a shell
 * wrapper around /usr/lib/chromium/chromium; either will do, so a hidden or broken wrapper does not
 * stop the run. `TOLLGATE_CHROMIUM` names another binary.
 */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The one command that makes the browser stories runnable, for the message when we cannot run it ourselves. */
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

export interface ChromiumLookup {
  env?: Record<string, string | undefined>;
  candidates?: readonly string[];
  /** Prints what the setup does (an install takes a minute or two; the user should know why). */
  say?: (line: string) => void;
  /** Runs a command with inherited output; returns its exit code. Tests pass their own. */
  run?: (command: string, args: string[]) => number;
  isRoot?: boolean;
}

/** A regular, executable file that answers `--version`: a /dev/null bind mount or a stale link is not a browser. */
export function launchable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
  } catch {
    return false;
  }
  const probe = spawnSync(file, ['--version'], { timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return probe.status === 0 && /chrom/i.test(String(probe.stdout));
}

export function findChromium(options: Pick<ChromiumLookup, 'env' | 'candidates'> = {}): string | null {
  const wanted = options.env?.TOLLGATE_CHROMIUM;
  const candidates = wanted ? [wanted] : (options.candidates ?? CHROMIUM_CANDIDATES);
  return candidates.find(launchable) ?? null;
}

function runInherited(command: string, args: string[]): number {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status ?? 1;
}

/**
 * Finds Chromium, or installs Debian's package when it is missing and this process may (root with
 * apt-get), saying so; otherwise fails naming the one command to run. Never downloads a browser build.
 */
export function ensureChromium(options: ChromiumLookup = {}): string {
  const env = options.env ?? process.env;
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const found = findChromium({ env, ...(options.candidates ? { candidates: options.candidates } : {}) });
  if (found) return found;
  if (env.TOLLGATE_CHROMIUM) throw new Error(`TOLLGATE_CHROMIUM=${env.TOLLGATE_CHROMIUM} is not a Chromium that starts (\`${env.TOLLGATE_CHROMIUM} --version\` failed)`);

  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const hasApt = launchableTool('apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(`The browser tests need Chromium and none was found (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install it with: ${INSTALL_COMMAND} (as root), or set TOLLGATE_CHROMIUM to a Chromium binary.`);
  }
  const run = options.run ?? runInherited;
  say(`[tollgate e2e] Chromium not found: installing Debian's chromium package (${INSTALL_COMMAND}); this happens once per machine.`);
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  if (run('apt-get', [...lock, 'update']) !== 0 || run('apt-get', [...lock, 'install', '-y', 'chromium']) !== 0) {
    throw new Error(`Installing Chromium with apt-get failed (output above). Run it by hand: ${INSTALL_COMMAND}`);
  }
  const installed = findChromium({ env, ...(options.candidates ? { candidates: options.candidates } : {}) });
  if (!installed) throw new Error(`apt-get installed chromium but no candidate starts (${CHROMIUM_CANDIDATES.join(', ')}); check \`chromium --version\`.`);
  say(`[tollgate e2e] Chromium installed: ${installed}`);
  return installed;
}

function launchableTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
