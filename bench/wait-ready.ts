import type { Child } from './child-processes.js';

/** Polls a URL until it answers (any status) or the child dies or time runs out. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${child.name} was not ready at ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Resolves with the first stdout line of a child, parsed as JSON (how the upstream tells its port). */
export function firstJsonLine<T>(child: Child, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${child.name} printed nothing within ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.process.stdout!.off('data', onData);
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as T);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    child.process.stdout!.on('data', onData);
    child.process.once('exit', () => reject(new Error(`${child.name} exited:\n${child.output()}`)));
  });
}
