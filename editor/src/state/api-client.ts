import {
  ApiErrorSchema,
  CompileResponseSchema,
  DecideResponseSchema,
  ImportResponseSchema,
  PolicyDetailResponseSchema,
  PolicyListResponseSchema,
  PublishResponseSchema,
  VersionListResponseSchema,
  type ApiError,
  type ChatCompletionRequest,
  type RequestApi,
} from '../../../shared/api.js';
import type { EmbeddingsRequest } from '../../../shared/embeddings-api.js';
import { AlertsResponseSchema } from '../../../shared/alerts-api.js';
import { BacktestJobSchema } from '../../../shared/backtest-api.js';
import type { Graph } from '../../../shared/graph.js';
import { BudgetBurnResponseSchema, OverviewResponseSchema, SeriesResponseSchema } from '../../../shared/usage-api.js';
import { CreateKeyResponseSchema, KeyListResponseSchema, type CreateKeyBody } from '../../../shared/keys-api.js';
import { LiveStatsResponseSchema } from '../../../shared/live-stats.js';
import { PricingTableSchema } from '../../../shared/pricing.js';
import { RuleFileSchema } from '../../../shared/rule-file.js';
import { z } from 'zod';
import { storedAdminToken, tokenAfterRefusal } from './admin-token.js';

/** A refused API call: the server's message and, for a refused publish, the compiler's diagnostics. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: ApiError | null,
  ) {
    super(message);
  }
}

const DraftResponseSchema = CompileResponseSchema.pick({ diagnostics: true }).extend({ graph: z.unknown() });

interface CallInit {
  method?: string;
  body?: unknown;
  /** A background read (live figures): a 401 fails it rather than opening the token dialog. */
  quiet?: boolean;
}

/** One request; a 401 asks for the admin token (see admin-token.ts) and tries again with it. */
async function send(path: string, init: CallInit): Promise<Response> {
  let token = storedAdminToken();
  for (;;) {
    const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (response.status !== 401 || init.quiet) return response;
    const next = await tokenAfterRefusal(token);
    if (!next) return response;
    token = next;
  }
}

async function call<S extends z.ZodType>(schema: S, path: string, init: CallInit = {}): Promise<z.output<S>> {
  const response = await send(path, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiCallError(`${path} answered ${response.status} with something that is not JSON`, response.status, null);
  }
  if (!response.ok) {
    const error = ApiErrorSchema.safeParse(json);
    const message = error.success ? error.data.error.message : `${path} failed with status ${response.status}`;
    throw new ApiCallError(message, response.status, error.success ? error.data : null);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiCallError(`${path} answered in an unexpected shape: ${parsed.error.issues[0]?.message}`, response.status, null);
  return parsed.data;
}

const enc = encodeURIComponent;

export interface SimulateBody {
  graph: Graph;
  /** The shape of `request`: a chat completion unless told. */
  api?: RequestApi;
  request: ChatCompletionRequest | EmbeddingsRequest;
  tags?: Record<string, string>;
  tier?: string;
  user?: string;
  dynamic?: { budgetUsedPct?: number; rateLimited?: boolean };
}

/** Why a version was published and by whom. */
export interface PublishNote {
  message?: string;
  author?: string;
}

export const api = {
  listPolicies: () => call(PolicyListResponseSchema, '/api/policies'),
  getPolicy: (id: string) => call(PolicyDetailResponseSchema, `/api/policies/${enc(id)}`),
  saveDraft: (id: string, graph: Graph) => call(DraftResponseSchema, `/api/policies/${enc(id)}/draft`, { method: 'PUT', body: { graph } }),
  discardDraft: (id: string) => call(z.unknown(), `/api/policies/${enc(id)}/draft`, { method: 'DELETE' }),
  publish: (id: string, graph: Graph, why: PublishNote & { backtestJob?: string } = {}) =>
    call(PublishResponseSchema, `/api/policies/${enc(id)}/publish`, { method: 'POST', body: { graph, ...why } }),
  startBacktest: (id: string, body: { graph: Graph; from: string; to: string }) =>
    call(BacktestJobSchema, `/api/policies/${enc(id)}/backtest`, { method: 'POST', body }),
  backtestJob: (job: string) => call(BacktestJobSchema, `/api/backtests/${enc(job)}`),
  versions: (id: string) => call(VersionListResponseSchema, `/api/policies/${enc(id)}/versions`),
  liveStats: (id: string) => call(LiveStatsResponseSchema, `/api/policies/${enc(id)}/live-stats`, { quiet: true }),
  version: (id: string, version: number) => call(RuleFileSchema, `/api/policies/${enc(id)}/versions/${version}`),
  rollback: (id: string, version: number, why: PublishNote = {}) =>
    call(PublishResponseSchema, `/api/policies/${enc(id)}/rollback`, { method: 'POST', body: { version, ...why } }),
  importRuleFile: (ruleFile: unknown) => call(ImportResponseSchema, '/api/import', { method: 'POST', body: { ruleFile } }),
  pricing: () => call(PricingTableSchema, '/api/pricing'),
  simulate: (body: SimulateBody) => call(DecideResponseSchema, '/api/simulate', { method: 'POST', body }),
  usageSeries: (query: Record<string, string>) => call(SeriesResponseSchema, `/api/usage/series?${new URLSearchParams(query)}`),
  usageOverview: (query: Record<string, string>) => call(OverviewResponseSchema, `/api/usage/overview?${new URLSearchParams(query)}`),
  usageBudgets: () => call(BudgetBurnResponseSchema, '/api/usage/budgets'),
  alerts: (quiet = false) => call(AlertsResponseSchema, '/api/alerts', { quiet }),
  listKeys: () => call(KeyListResponseSchema, '/api/keys'),
  createKey: (body: CreateKeyBody) => call(CreateKeyResponseSchema, '/api/keys', { method: 'POST', body }),
  revokeKey: (id: string) => call(z.unknown(), `/api/keys/${enc(id)}`, { method: 'DELETE' }),
};
