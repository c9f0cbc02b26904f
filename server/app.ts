import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { backtestRouter } from './api/backtest-router.js';
import { policiesRouter } from './api/policies-router.js';
import { toolsRouter } from './api/tools-router.js';
import { usageRouter } from './api/usage-router.js';
import type { AppConfig } from './config.js';
import { withChatLane } from './http/chat-lane.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { createLogger, type Logger } from './log.js';
import { Runtime } from './runtime/runtime.js';
import { v1Router } from './runtime/v1-router.js';

export interface App {
  app: express.Express;
  runtime: Runtime;
  close(): Promise<void>;
}

/** Builds the whole runtime for a config: policies loaded, providers ready, routes mounted. */
export interface AppOptions {
  log?: Logger;
  /** Where provider keys and base URLs are read from (tests pass their own). */
  env?: Record<string, string | undefined>;
}

export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const runtime = await Runtime.create(config, log, options.env ?? process.env);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Any content type is read as JSON: SDKs and curl users forget the header, and the error names the body either way.
  const json = express.json({ limit: config.bodyLimit, type: () => true });

  app.get('/healthz', (_req, res) => {
    const policies = runtime.store.list();
    res.json({
      status: 'ok',
      policies: policies.filter((p) => p.live).length,
      brokenPolicies: policies.filter((p) => p.error).map((p) => p.id),
      defaultPolicy: config.defaultPolicy,
    });
  });
  app.use('/v1', json, v1Router(runtime));
  app.use('/api', json, policiesRouter(runtime), toolsRouter(runtime), usageRouter(runtime), backtestRouter(runtime));
  app.get('/metrics', async (_req, res) => {
    res.type(runtime.state.metrics.registry.contentType).send(await runtime.state.metrics.registry.metrics());
  });
  if (existsSync(config.editorDir)) {
    app.use(express.static(config.editorDir, { index: 'index.html', maxAge: '1h' }));
    app.get('/', (_req, res) => res.sendFile(path.join(config.editorDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('Tollgate runtime is up. The editor is not built: run `npm run build` (npm start does it for you).\n');
    });
  }
  app.use(notFound);
  app.use(errorHandler(log));
  return { app, runtime, close: () => runtime.close() };
}

export interface RunningServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startServer(config: AppConfig, listen: { host?: string; port?: number } = {}, options: AppOptions = {}): Promise<RunningServer> {
  const { app, runtime, close } = await createApp(config, options);
  const server = http.createServer(withChatLane(runtime, app, config.bodyLimit, runtime.log));
  server.listen(listen.port ?? config.port, listen.host ?? config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    runtime,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await close();
    },
  };
}
