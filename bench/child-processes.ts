import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last few KB of stdout and stderr, for the error when a child fails. */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
}

const OUTPUT_KEEP = 16_384;
const running = new Set<Child>();

/**
 * Children die with the bench: on normal exit, on an uncaught error and on Ctrl-C, every
 * child still running is killed by its pid, so no server is left holding a port.
 */
function killAllNow(): void {
  for (const child of running) child.process.kill('SIGKILL');
  running.clear();
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  let done = false;
  const exit = new Promise<void>((resolve) => proc.once('exit', () => {
    done = true;
    resolve();
  }));
  const child: Child = {
    name,
    pid: proc.pid,
    process: proc,
    output: () => output,
    exited: () => done,
    stop: async () => {
      running.delete(child);
      if (done) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    },
  };
  running.add(child);
  return child;
}

/** Runs a command to completion and returns its stdout; throws with its output when it fails. */
export function runToEnd(name: string, command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<string> {
  const child = spawnChild(name, command, args, options);
  let stdout = '';
  child.process.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void child.stop();
      reject(new Error(`${name} did not finish within ${options.timeoutMs} ms:\n${child.output()}`));
    }, options.timeoutMs);
    child.process.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name} exited with ${code}:\n${child.output()}`));
    });
  });
}
