import path from 'node:path';
import { z } from 'zod';
import { PolicyIdSchema } from '../shared/graph.js';

/** Everything the runtime reads from its environment, parsed once at start. Secrets stay out of it: providers read their keys themselves. */
export const AppConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  rulesDir: z.string().default('rules'),
  dataDir: z.string().default('data'),
  /** The built editor; served at `/` when the folder exists. */
  editorDir: z.string().default('dist/editor'),
  defaultPolicy: PolicyIdSchema.default('cost-router'),
  /** A JSON file with a pricing table (or part of one) merged over the built-in prices. */
  pricingFile: z.string().optional(),
  /** Largest request body accepted on /v1 and /api. */
  bodyLimit: z.string().default('4mb'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Watch rules/ and reload changed files; off in tests that publish through the API only. */
  watchRules: z.boolean().default(true),
  /** fsync the ledger this often (ms); 0 leaves durability to the OS page cache (survives a process crash, not a power cut). */
  ledgerFsyncMs: z.coerce.number().int().min(0).default(1000),
  /** A provider and model's circuit breaker opens after this many failures within breakerWindowMs... */
  breakerFailures: z.coerce.number().int().min(1).default(5),
  breakerWindowMs: z.coerce.number().int().min(1).default(30_000),
  /** ...and lets one probe through after this long open. */
  breakerOpenMs: z.coerce.number().int().min(1).default(15_000),
  /** Host names besides the loopback ones that requests may be addressed to (comma list); guards against DNS rebinding. */
  allowedHosts: z.string().default(''),
  /** Require a service key on /v1 even before the first key is issued (once one is, they are required anyway). */
  requireKeys: z.union([z.boolean(), z.stringbool()]).default(false),
  /** Response cache: bytes of answers held in memory (hot tier, least recently used out first). */
  cacheHotBytes: z.string().default('64mb'),
  /** Response cache: bytes of answers kept on disk under dataDir/cache (warm tier, survives a restart; '0' turns it off). */
  cacheDiskBytes: z.string().default('512mb'),
  /** Publishing commits the rule file to the git work tree that holds the rules folder, with the publisher's message and name. */
  gitCommit: z.union([z.boolean(), z.stringbool()]).default(false),
  /** With TOLLGATE_REDIS_URL, what a shared rate limit does while Redis fails: `open` admits, `closed` refuses. */
  rateLimitFailMode: z.enum(['open', 'closed']).default('open'),
  /** With TOLLGATE_REDIS_URL, what a budgeted request does while Redis fails: `closed` refuses (503), `open` admits under this instance's own spend. */
  budgetFailMode: z.enum(['open', 'closed']).default('closed'),
  /** Batch lane: a provider+model queue is sent as one provider batch once it holds this many requests... */
  batchMaxSize: z.coerce.number().int().min(1).max(50_000).default(100),
  /** ...or once its oldest request has waited this long (ms). */
  batchMaxWaitMs: z.coerce.number().int().min(0).default(60_000),
  /** How often a submitted batch is polled (ms). */
  batchPollMs: z.coerce.number().int().min(1).default(30_000),
  /** How often spend per team, model and policy is checked for anomalies (ms); 0 turns the check off. */
  anomalyCheckMs: z.coerce.number().int().min(0).default(300_000),
  /** An anomaly alerts only when the hour's spend is at least this many dollars above its baseline. */
  anomalyMinUsd: z.coerce.number().min(0).default(0.5),
  /** Finished batch jobs stay pollable this many days, then leave the journal at the next start. */
  batchKeepDays: z.coerce.number().min(0).default(7),
  /** Responses API: bytes of kept responses (for previous_response_id) on disk under dataDir/responses, least recently used out first; '0' keeps none. */
  responsesDiskBytes: z.string().default('512mb'),
  /** Responses API: a kept response can be continued, read and deleted this many days. */
  responsesKeepDays: z.coerce.number().positive().default(7),
  /** Responses API: the share of the kept bytes one service key may hold, so one busy key cannot evict every other key's conversations. */
  responsesKeyShare: z.coerce.number().gt(0).max(1).default(0.5),
});
export type AppConfig = z.infer<typeof AppConfigSchema>;

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  const fromEnv = {
    host: env.HOST,
    port: env.PORT,
    rulesDir: env.TOLLGATE_RULES,
    dataDir: env.TOLLGATE_DATA,
    editorDir: env.TOLLGATE_EDITOR_DIR,
    defaultPolicy: env.TOLLGATE_DEFAULT_POLICY,
    pricingFile: env.TOLLGATE_PRICING,
    bodyLimit: env.TOLLGATE_BODY_LIMIT,
    logLevel: env.LOG_LEVEL,
    ledgerFsyncMs: env.TOLLGATE_LEDGER_FSYNC_MS,
    breakerFailures: env.TOLLGATE_BREAKER_FAILURES,
    breakerWindowMs: env.TOLLGATE_BREAKER_WINDOW_MS,
    breakerOpenMs: env.TOLLGATE_BREAKER_OPEN_MS,
    allowedHosts: env.TOLLGATE_ALLOWED_HOSTS,
    requireKeys: env.TOLLGATE_REQUIRE_KEYS,
    cacheHotBytes: env.TOLLGATE_CACHE_HOT_BYTES,
    cacheDiskBytes: env.TOLLGATE_CACHE_DISK_BYTES,
    gitCommit: env.TOLLGATE_GIT_COMMIT,
    rateLimitFailMode: env.TOLLGATE_RATE_LIMIT_FAIL_MODE,
    budgetFailMode: env.TOLLGATE_BUDGET_FAIL_MODE,
    batchMaxSize: env.TOLLGATE_BATCH_MAX_SIZE,
    batchMaxWaitMs: env.TOLLGATE_BATCH_MAX_WAIT_MS,
    batchPollMs: env.TOLLGATE_BATCH_POLL_MS,
    batchKeepDays: env.TOLLGATE_BATCH_KEEP_DAYS,
    anomalyCheckMs: env.TOLLGATE_ANOMALY_CHECK_MS,
    anomalyMinUsd: env.TOLLGATE_ANOMALY_MIN_USD,
    responsesDiskBytes: env.TOLLGATE_RESPONSES_DISK_BYTES,
    responsesKeepDays: env.TOLLGATE_RESPONSES_KEEP_DAYS,
    responsesKeyShare: env.TOLLGATE_RESPONSES_KEY_SHARE,
  };
  const defined = Object.fromEntries(Object.entries(fromEnv).filter(([, v]) => v !== undefined && v !== ''));
  const config = AppConfigSchema.parse({ ...defined, ...overrides });
  return {
    ...config,
    rulesDir: path.resolve(config.rulesDir),
    dataDir: path.resolve(config.dataDir),
    editorDir: path.resolve(config.editorDir),
  };
}
