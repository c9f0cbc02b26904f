import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { backtestRouter } from './api/backtest-router.js';
import { dashboardRouter } from './api/dashboard-router.js';
import { alertsRouter } from './api/alerts-router.js';
import { healthRouter } from './api/health-router.js';
import { liveStatsRouter } from './api/live-stats-router.js';
import { routerStateRouter } from './api/router-state-router.js';
import { policiesRouter } from './api/policies-router.js';
import { toolsRouter } from './api/tools-router.js';
import { usageRouter } from './api/usage-router.js';
import type { AppConfig } from './config.js';
import { withChatLane } from './http/chat-lane.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { KeyStore } from './keys/key-store.js';
import { keysRouter } from './keys/keys-router.js';
import { createLogger, type Logger } from './log.js';
import { driftOf } from './policies/policy-drift.js';
import { secretsFromEnv } from './security/secrets-from-env.js';
import { Runtime } from './runtime/runtime.js';
import { shareKeys } from './redis/shared-keys.js';
import { v1Router } from './http/v1-router.js';
import { readAccessTokens, type AccessTokens } from './security/admin-token.js';
import { allowedHostSet, isLoopbackAddress } from './security/allowed-hosts.js';
import { apiGuard } from './security/api-guard.js';
import { guardRequests } from './security/request-guard.js';

export interface App {
  app: express.Express;
  runtime: Runtime;
  security: { adminTokens: AccessTokens | null; keys: KeyStore };
  close(): Promise<void>;
}

/** Builds the whole runtime for a config: policies loaded, providers ready, routes mounted. */
export interface AppOptions {
  log?: Logger;
  /** Where provider keys and base URLs are read from (tests pass their own). */
  env?: Record<string, string | undefined>;
}

export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<App> {
  const env = options.env ?? process.env;
  const log = options.log ?? createLogger(config.logLevel, secretsFromEnv(env));
  const adminTokens = await readAccessTokens(env);
  const keys = await KeyStore.open(config.dataDir, env);
  const runtime = await Runtime.create(config, log, env);
  if (runtime.stateBus) await shareKeys({ bus: runtime.stateBus, keys, log });
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
      driftedPolicies: policies.filter((p) => p.live && driftOf(p.live.ruleFile, runtime.pricing)).map((p) => p.id),
      defaultPolicy: config.defaultPolicy,
    });
  });
  app.use('/v1', json, v1Router({
      ...runtime.chat,
      recent: runtime.state.recent,
      feedback: runtime.state.feedback,
      requestsElsewhere: runtime.state.ledgerDb?.request,
      router: runtime.state.router,
      responses: runtime.state.responses,
      onScore: (id, score) => runtime.state.rollups.score(id, score),
    }));
  app.use('/api', apiGuard(adminTokens), json, keysRouter(runtime, keys), policiesRouter(runtime), liveStatsRouter(runtime), toolsRouter(runtime), usageRouter(runtime), healthRouter(runtime.health), routerStateRouter(runtime.state.router), backtestRouter(runtime), dashboardRouter(runtime), alertsRouter(runtime));
  // Counters name teams, models and policies: with tokens set, a scraper sends a viewer token like any reader.
  app.get('/metrics', apiGuard(adminTokens), async (_req, res) => {
    res.type(runtime.state.metrics.registry.contentType).send(await runtime.state.metrics.registry.metrics());
  });
  if (existsSync(config.editorDir)) {
    app.use(express.static(config.editorDir, { index: 'index.html', maxAge: '1h' }));
    // The dashboard is a page of the editor app: the app reads the path and its filters from the URL.
    app.get(['/', '/dashboard'], (_req, res) => res.sendFile(path.join(config.editorDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => {
      res.type('text').send('Tollgate runtime is up. The editor is not built: run `npm run build` (npm start does it for you).\n');
    });
  }
  app.use(notFound);
  app.use(errorHandler(log));
  return { app, runtime, security: { adminTokens, keys }, close: () => runtime.close() };
}

export interface RunningServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function startServer(config: AppConfig, listen: { host?: string; port?: number } = {}, options: AppOptions = {}): Promise<RunningServer> {
  const host = listen.host ?? config.host;
  const { app, runtime, security, close } = await createApp(config, options);
  if (!security.adminTokens && !isLoopbackAddress(host)) {
    await close();
    throw new Error(`Refusing to listen on ${host} without an admin token: anyone who reaches the port could publish policies. Set TOLLGATE_ADMIN_TOKEN (or TOLLGATE_ADMIN_TOKEN_FILE), or listen on 127.0.0.1.`);
  }
  // A specific listen address is a name callers use; a wildcard one (0.0.0.0, ::) is not.
  const allowedHosts = allowedHostSet([config.allowedHosts, isWildcard(host) ? '' : bracketed(host)].join(','));
  const guarded = guardRequests({ allowedHosts, keys: security.keys, requireKeys: config.requireKeys }, withChatLane({ chat: runtime.chat, app, bodyLimit: config.bodyLimit, log: runtime.log, responses: runtime.state.responses }));
  const server = http.createServer(guarded);
  server.listen(listen.port ?? config.port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${bracketed(address)}:${port}`,
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

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
const bracketed = (address: string) => (address.includes(':') && !address.startsWith('[') ? `[${address}]` : address);
