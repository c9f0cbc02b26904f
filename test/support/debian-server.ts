import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import net from 'node:net';

/** How a test setup finds a Debian-packaged server binary, installing the package when it may. */
export interface PackagedBinary {
  /** What the messages call it: "redis-server", "PostgreSQL". */
  label: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** An environment variable naming another binary. */
  envVar: string;
  candidates: () => readonly string[];
}

export interface BinaryLookup {
  env?: Record<string, string | undefined>;
  say?: (line: string) => void;
  /** Runs a command with inherited output; returns its exit code. Tests pass their own. */
  run?: (command: string, args: string[]) => number;
  isRoot?: boolean;
}

export function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBinary(binary: PackagedBinary, env: Record<string, string | undefined> = process.env): string | null {
  const wanted = env[binary.envVar];
  const candidates = wanted ? [wanted] : binary.candidates();
  return candidates.find(executable) ?? null;
}

function runInherited(command: string, args: string[]): number {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status ?? 1;
}

/**
 * Finds the binary, or installs its Debian package when it is missing and this process may (root
 * with apt-get), saying so; otherwise fails naming the one command to run.
 */
export function ensureBinary(binary: PackagedBinary, options: BinaryLookup = {}): string {
  const env = options.env ?? process.env;
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const found = findBinary(binary, env);
  if (found) return found;
  const install = `apt-get update && apt-get install -y ${binary.aptPackage}`;
  if (env[binary.envVar]) throw new Error(`${binary.envVar}=${env[binary.envVar]} is not an executable file`);
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`These tests need ${binary.label} and none was found (looked at ${binary.candidates().join(', ')}). Install it with: ${install} (as root), or set ${binary.envVar}.`);
  }
  const run = options.run ?? runInherited;
  say(`[tollgate tests] ${binary.label} not found: installing Debian's ${binary.aptPackage} package (${install}); this happens once per machine.`);
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  if (run('apt-get', [...lock, 'update']) !== 0 || run('apt-get', [...lock, 'install', '-y', binary.aptPackage]) !== 0) {
    throw new Error(`Installing ${binary.aptPackage} with apt-get failed (output above). Run it by hand: ${install}`);
  }
  const installed = findBinary(binary, env);
  if (!installed) throw new Error(`apt-get installed ${binary.aptPackage} but found no ${binary.label} at ${binary.candidates().join(', ')}`);
  say(`[tollgate tests] ${binary.label} installed: ${installed}`);
  return installed;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `ready` until it resolves true; a server that never comes up fails with what it printed. */
export async function waitUntil(ready: () => Promise<boolean>, what: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what()} did not come up within ${timeoutMs} ms`);
}
