import path from 'node:path';
import { spawnChild, type Child } from './child-processes.js';
import { firstJsonLine } from './wait-ready.js';

export interface Upstream {
  child: Child;
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
    baseUrl: `${origin}/v1`,
    served: async () => ((await (await fetch(`${origin}/stats`)).json()) as { served: number }).served,
  };
}
