import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASE_HEADERS, CHAT_BODY, CHAT_PATH, type Target } from './chat-request.js';
import { runToEnd, spawnChild, type Child } from './child-processes.js';
import { freePort } from './free-port.js';
import type { Upstream } from './upstream.js';
import { waitForHttp } from './wait-ready.js';

export const PORTKEY_VERSION = '1.15.2';
const PACKAGE = '@portkey-ai/gateway';

export interface PortkeyProcess {
  child: Child;
  target: Target;
}

function scratchDir(repo: string): string {
  return path.join(repo, '.bench', 'portkey');
}

function installedVersion(dir: string): string | null {
  const manifest = path.join(dir, 'node_modules', PACKAGE, 'package.json');
  if (!existsSync(manifest)) return null;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Portkey is a bench-time tool, not a project dependency: installed into the git-ignored .bench/ when absent. */
export async function ensurePortkey(repo: string, log: (line: string) => void): Promise<string> {
  const dir = scratchDir(repo);
  if (installedVersion(dir) !== PORTKEY_VERSION) {
    log(`installing ${PACKAGE}@${PORTKEY_VERSION} into ${path.relative(repo, dir)}/ ...`);
    mkdirSync(dir, { recursive: true });
    await runToEnd('npm install portkey', 'npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `${PACKAGE}@${PORTKEY_VERSION}`], {
      cwd: dir,
      timeoutMs: 300_000,
    });
    if (installedVersion(dir) !== PORTKEY_VERSION) throw new Error(`${PACKAGE}@${PORTKEY_VERSION} is not in ${dir} after npm install`);
  }
  return path.join(dir, 'node_modules', PACKAGE, 'build', 'start-server.js');
}

/**
 * Portkey's Node build (build/start-server.js) takes `--port=N` and `--headless`; the provider
 * and the OpenAI-compatible host come per request in `x-portkey-provider` and
 * `x-portkey-custom-host` (127.0.0.1 is on its default trusted custom-host list), and the
 * bearer token is passed on as the provider key.
 */
export async function startPortkey(repo: string, entry: string, upstream: Upstream): Promise<PortkeyProcess> {
  const port = await freePort();
  const loopbackOnly = pathToFileURL(path.join(repo, 'bench', 'loopback-only.mjs')).href;
  const child = spawnChild('portkey', process.execPath, ['--import', loopbackOnly, entry, `--port=${port}`, '--headless'], {
    cwd: path.dirname(entry),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/`, child, 30_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const headers = { ...BASE_HEADERS, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': upstream.baseUrl };
  return { child, target: { name: 'portkey', url: `${url}${CHAT_PATH}`, headers, pid: child.pid } };
}

export async function checkPortkeyRoutesToUpstream(target: Target, upstream: Upstream): Promise<void> {
  const before = await upstream.served();
  const res = await fetch(target.url, { method: 'POST', headers: target.headers, body: CHAT_BODY });
  const text = await res.text();
  const after = await upstream.served();
  if (res.status !== 200 || after !== before + 1) {
    throw new Error(`Portkey did not forward the bench request to the upstream (status ${res.status}, upstream served ${after - before}): ${text.slice(0, 500)}`);
  }
}
