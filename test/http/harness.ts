import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startServer, type AppOptions, type RunningServer } from '../../server/app.js';
import { configFromEnv, type AppConfig } from '../../server/config.js';
import { copyExampleRules } from '../support/example-rules.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Harness {
  server: RunningServer;
  url: string;
  rulesDir: string;
  dataDir: string;
  /** The official OpenAI SDK pointed at Tollgate, as a service would use it. */
  client: OpenAI;
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the real runtime on 127.0.0.1 with its own rules folder (the example policies) and an empty data folder.
 * `env` sets provider variables (OPENAI_BASE_URL...); with none set, the simulator answers.
 */
export async function startHarness(env: Record<string, string> = {}, overrides: Partial<AppConfig> = {}, options: Pick<AppOptions, 'log'> = {}): Promise<Harness> {
  const root = await mkdtemp(path.join(tmpdir(), 'tollgate-test-'));
  const rulesDir = path.join(root, 'rules');
  const dataDir = path.join(root, 'data');
  await copyExampleRules(rulesDir);
  const config = configFromEnv({}, { rulesDir, dataDir, editorDir: path.join(root, 'no-editor'), logLevel: 'silent', ledgerFsyncMs: 0, ...overrides });
  const server = await startServer(config, { host: '127.0.0.1', port: 0 }, { ...options, env });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
  return {
    server,
    url: server.url,
    rulesDir,
    dataDir,
    client,
    post: (pathname, body, headers = {}) =>
      fetch(`${server.url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const hello = (model = 'gpt-4o-mini') => ({ model, messages: [{ role: 'user' as const, content: 'Hello there, what is the capital of France?' }] });
