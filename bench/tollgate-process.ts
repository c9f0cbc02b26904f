import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE_HEADERS, CHAT_BODY, CHAT_PATH, type Target } from './chat-request.js';
import { spawnChild, type Child } from './child-processes.js';
import { freePort } from './free-port.js';
import type { Upstream } from './upstream.js';
import { waitForHttp } from './wait-ready.js';

export interface TollgateProcess {
  child: Child;
  target: Target;
  stop(): Promise<void>;
}

/** Data folders of Tollgates still running, removed on exit too when the bench is interrupted. */
const dataDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function removeDataDir(dir: string): void {
  dataDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

export interface TollgateOptions {
  /** Extra node flags, e.g. --cpu-prof for the profile of a missed target. */
  nodeArgs?: string[];
  /** Another rules folder and default policy (bench/redis-throughput.ts), and extra variables such as TOLLGATE_REDIS_URL. */
  rulesDir?: string;
  defaultPolicy?: string;
  env?: Record<string, string>;
}

/**
 * Tollgate as users run it: `node --import tsx server/main.ts` in its own process, the repo's
 * rules/ with cost-router as default policy, a fresh data folder (so the ledger writes for
 * real), and OpenAI pointed at the bench upstream.
 */
export async function startTollgate(repo: string, upstream: Upstream, options: TollgateOptions = {}): Promise<TollgateProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tollgate-bench-'));
  dataDirs.add(dataDir);
    const child = spawnChild('tollgate', process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(repo, 'server/main.ts')], {
    cwd: repo,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      TOLLGATE_RULES: options.rulesDir ?? path.join(repo, 'rules'),
      TOLLGATE_DATA: dataDir,
      TOLLGATE_DEFAULT_POLICY: options.defaultPolicy ?? 'cost-router',
      LOG_LEVEL: 'warn',
      OPENAI_BASE_URL: upstream.baseUrl,
      OPENAI_API_KEY: 'sk-bench',
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, child, 30_000);
  } catch (error) {
    await child.stop();
    removeDataDir(dataDir);
    throw error;
  }
  return {
    child,
    target: { name: 'tollgate', url: `${url}${CHAT_PATH}`, headers: { ...BASE_HEADERS }, pid: child.pid },
    stop: async () => {
      await child.stop();
      removeDataDir(dataDir);
    },
  };
}

/**
 * One request before any measuring: it must be answered by the upstream through the OpenAI
 * provider, or every figure after it would measure something else (the simulator, an error page).
 */
export async function checkTollgateRoutesToUpstream(target: Target, upstream: Upstream): Promise<Record<string, string>> {
  const before = await upstream.served();
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: CHAT_BODY });
  const text = await res.text();
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('x-tollgate-')));
  const after = await upstream.served();
  if (res.status !== 200 || headers['x-tollgate-provider'] !== 'openai' || after !== before + 1) {
    throw new Error(
      `Tollgate did not route the bench request to the upstream through the openai provider ` +
        `(status ${res.status}, upstream served ${after - before}, headers ${JSON.stringify(headers)}): ${text.slice(0, 500)}`,
    );
  }
  return headers;
}
