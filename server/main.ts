import { startServer } from './app.js';
import { configFromEnv } from './config.js';
import { secretsFromEnv } from './security/secrets-from-env.js';
import { createLogger } from './log.js';

const config = configFromEnv();
const log = createLogger(config.logLevel, secretsFromEnv());
const server = await startServer(config, {}, { log });
log.info({ url: server.url, rules: config.rulesDir, defaultPolicy: config.defaultPolicy }, `Tollgate is listening on ${server.url} (editor at ${server.url}/)`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
