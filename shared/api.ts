import { z } from 'zod';
import { BacktestSummarySchema } from './backtest-summary.js';
import { ActionSchema } from './decision.js';
import { DiagnosticsListSchema } from './diagnostics-schema.js';
import { GraphSchema } from './graph.js';
import { RequestFactsSchema } from './facts.js';
import { RuleFileSchema } from './rule-file.js';
import { RouterAdjustmentSchema } from './router-state-api.js';

/* ---------- /v1: OpenAI-compatible bodies ---------- */

const ContentPartSchema = z.looseObject({ type: z.string() });
export const ChatMessageSchema = z
  .looseObject({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z.array(z.looseObject({})).optional(),
    tool_call_id: z.string().optional(),
  })
  // Only an assistant's turn may go without content (it called tools instead), as OpenAI has it.
  .refine((m) => m.role === 'assistant' || (m.content !== undefined && m.content !== null), {
    path: ['content'],
    error: (issue) => `a ${(issue.input as { role: string }).role} message needs content`,
  });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Fields Tollgate reads are typed; every other OpenAI field passes through to the provider untouched. */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ChatMessageSchema).min(1, 'at least one message is required'),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(1, 'Tollgate serves n=1 only').nullable().optional(),
  tools: z.array(z.looseObject({})).optional(),
  functions: z.array(z.looseObject({})).optional(),
  user: z.string().optional(),
  /** Attribution tags; merged with the `x-tollgate-tags` header (the header wins on conflicts). */
  metadata: z.record(z.string(), z.string()).optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const OpenAIErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type OpenAIError = z.infer<typeof OpenAIErrorSchema>;

/* ---------- /v1/decide ---------- */

export type ConditionTrace =
  | {
      kind: 'fact';
      fact: string;
      path?: string;
      params?: Record<string, unknown>;
      operator: string;
      value: unknown;
      /** The fact's value, or undefined when the condition was never evaluated. */
      factValue?: unknown;
      /** Null: not evaluated (an earlier condition already decided the group). */
      result: boolean | null;
    }
  | { kind: 'all' | 'any' | 'not'; result: boolean | null; children: ConditionTrace[] };

export const ConditionTraceSchema: z.ZodType<ConditionTrace> = z.lazy(() =>
  z.union([
    z.object({
      kind: z.literal('fact'),
      fact: z.string(),
      path: z.string().optional(),
      params: z.record(z.string(), z.unknown()).optional(),
      operator: z.string(),
      value: z.unknown(),
      factValue: z.unknown().optional(),
      result: z.boolean().nullable(),
    }),
    z.object({ kind: z.enum(['all', 'any', 'not']), result: z.boolean().nullable(), children: z.array(ConditionTraceSchema) }),
  ]),
);

export const RuleTraceSchema = z.object({
  rule: z.string(),
  priority: z.number(),
  matched: z.boolean(),
  conditions: ConditionTraceSchema,
});
export type RuleTrace = z.infer<typeof RuleTraceSchema>;

/** Why the learned router scored a prompt as it did: its two probabilities and the features that moved them most. */
export const RouterExplanationSchema = z.object({
  version: z.string(),
  score: z.number(),
  /** P(the cheap model is wrong) and P(the strong model is wrong); the score is their difference. */
  cheapWrong: z.number(),
  strongWrong: z.number(),
  /** Positive effects push towards the strong model. */
  reasons: z.array(z.object({ feature: z.string(), effect: z.number() })),
  /** The online correction feedback earned, one per learned-router condition the decision tested. */
  online: z.array(RouterAdjustmentSchema).optional(),
});
export type RouterExplanation = z.infer<typeof RouterExplanationSchema>;

export const DecideResponseSchema = z.object({
  policy: z.string(),
  version: z.number(),
  /** Null when no rule matched (a policy graph that compiled has a rule for every request, so this is rare). */
  rule: z.string().nullable(),
  actions: z.array(ActionSchema),
  /** The model the terminal action would call first, or null for a block. */
  model: z.string().nullable(),
  provider: z.string().nullable(),
  estimatedCostUsd: z.number(),
  path: z.array(z.string()),
  edges: z.array(z.string()),
  facts: RequestFactsSchema,
  trace: z.array(RuleTraceSchema),
  /** Present when the policy has a learned router. */
  router: RouterExplanationSchema.optional(),
});
export type DecideResponse = z.infer<typeof DecideResponseSchema>;

/* ---------- /api: policies ---------- */

export const PolicySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.number(),
  ruleCount: z.number(),
  isDefault: z.boolean(),
  /**
   * `error`: the file on disk is broken; the last good version (if any) stays live.
   * `drifted`: the live file's rules are not what its graph compiles to; the rules are served
   * as committed, and `drift` says how they differ.
   */
  status: z.enum(['ok', 'error', 'drifted']),
  error: z.string().optional(),
  drift: z.string().optional(),
  hasDraft: z.boolean(),
  compiledAt: z.string(),
});
export type PolicySummary = z.infer<typeof PolicySummarySchema>;

export const PolicyListResponseSchema = z.object({ defaultPolicy: z.string(), policies: z.array(PolicySummarySchema) });
export type PolicyListResponse = z.infer<typeof PolicyListResponseSchema>;

export const PolicyDetailResponseSchema = z.object({
  summary: PolicySummarySchema,
  ruleFile: RuleFileSchema.nullable(),
  draft: GraphSchema.nullable(),
});
export type PolicyDetailResponse = z.infer<typeof PolicyDetailResponseSchema>;

export const GraphBodySchema = z.object({ graph: z.unknown() });
export const CompileResponseSchema = z.object({
  ruleFile: RuleFileSchema.nullable(),
  diagnostics: DiagnosticsListSchema,
  ruleCount: z.number(),
});
export type CompileResponse = z.infer<typeof CompileResponseSchema>;

export const VersionSummarySchema = z.object({
  version: z.number(),
  compiledAt: z.string(),
  ruleCount: z.number(),
  /** Who published it and why ('' for versions published before either was asked). */
  author: z.string().default(''),
  message: z.string().default(''),
  backtest: BacktestSummarySchema.optional(),
});
export const VersionListResponseSchema = z.object({ versions: z.array(VersionSummarySchema) });
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

/** A publish: the graph, why (the version's and the git commit's message) and who (its author). */
export const PublishBodySchema = z.object({
  graph: z.unknown(),
  message: z.string().trim().max(500, 'at most 500 characters').default(''),
  author: z.string().trim().max(100, 'at most 100 characters').default(''),
  /** The finished backtest this publish follows; its summary is kept beside the version. */
  backtestJob: z.string().min(1).optional(),
});
export const GitCommitSchema = z.union([
  z.object({ committed: z.literal(true), commit: z.string() }),
  z.object({ committed: z.literal(false), reason: z.string() }),
]);
export const PublishResponseSchema = z.object({ ruleFile: RuleFileSchema, version: z.number(), git: GitCommitSchema.nullable().optional() });
export type PublishResponse = z.infer<typeof PublishResponseSchema>;

export const RollbackBodySchema = z.object({
  version: z.number().int().min(1),
  message: z.string().trim().max(500, 'at most 500 characters').default(''),
  author: z.string().trim().max(100, 'at most 100 characters').default(''),
});
export const ImportBodySchema = z.object({ ruleFile: z.unknown() });
export const ImportResponseSchema = z.object({ graph: GraphSchema, diagnostics: DiagnosticsListSchema });
export type ImportResponse = z.infer<typeof ImportResponseSchema>;

/** Errors on /api: `{error: {message, code, field?}}` plus diagnostics when a graph is refused. */
export const ApiErrorSchema = z.object({
  error: z.object({ message: z.string(), code: z.string(), field: z.string().optional() }),
  diagnostics: DiagnosticsListSchema.optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The request shapes the runtime answers: a decision preview (/v1/decide, /api/simulate) takes any of them, named by `api`. */
export const RequestApiSchema = z.enum(['chat', 'responses', 'messages', 'embeddings'], { error: 'api is chat, responses, messages or embeddings' }).default('chat');
export type RequestApi = z.infer<typeof RequestApiSchema>;
