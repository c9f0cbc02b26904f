import path from 'node:path';
import { spawnChild, type Child } from './child-processes.js';
import { firstJsonLine } from './wait-ready.js';

export interface Upstream {
  child: Child;
  /** http://127.0.0.1:N */
  origin: string;
  /** OpenAI-style base URL, ending in /v1. */
  baseUrl: string;
  served(): Promise<number>;
}

/** Starts bench/upstream-server.ts in its own process on a port of its choosing. */
export async function startUpstream(repo: string): Promise<Upstream> {
  const child = spawnChild('upstream', process.execPath, ['--import', 'tsx', path.join(repo, 'bench/upstream-server.ts')], { cwd: repo });
  const { port } = await firstJsonLine<{ port: number }>(child, 20_000);
  const origin = `http://127.0.0.1:${port}`;
  return {
    child,
    origin,
    baseUrl: `${origin}/v1`,
    served: async () => ((await (await fetch(`${origin}/stats`)).json()) as { served: number }).served,
  };
}

/** bench/bare-proxy-server.ts in front of the upstream: the floor row of `--floor`. */
export async function startBareProxy(repo: string, upstream: Upstream): Promise<{ child: Child; url: string }> {
  const child = spawnChild('bare proxy', process.execPath, ['--import', 'tsx', path.join(repo, 'bench/bare-proxy-server.ts'), upstream.origin], { cwd: repo });
  const { port } = await firstJsonLine<{ port: number }>(child, 20_000);
  return { child, url: `http://127.0.0.1:${port}` };
}
