import { createServer } from 'vite';
import { startServer } from './app.js';
import { configFromEnv } from './config.js';
import { providerKeysFromEnv } from './providers/providers-config.js';
import { createLogger } from './log.js';

// `npm run dev`: the runtime on its usual port, and Vite's dev server with hot reload for the
// editor, which proxies /api and /v1 to the runtime (see vite.config.ts).
const config = configFromEnv();
const log = createLogger(config.logLevel, providerKeysFromEnv());
const runtime = await startServer(config, {}, { log });
const vite = await createServer({ configFile: 'vite.config.ts', server: { host: config.host } });
await vite.listen();
log.info({ runtime: runtime.url }, 'runtime up');
vite.printUrls();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([vite.close(), runtime.close()]).then(() => process.exit(0));
  });
}
