import { z } from 'zod';
import { RouteProviderSchema } from './providers.js';


export const RouteTargetSchema = z.object({
  node: z.string(),
  model: z.string(),
  provider: RouteProviderSchema,
  timeoutMs: z.number().int(),
  retries: z.number().int(),
  backoffMs: z.number().int(),
});
export type RouteTarget = z.infer<typeof RouteTargetSchema>;

export const CacheActionSchema = z.object({
  type: z.literal('cache'),
  node: z.string(),
  mode: z.enum(['exact', 'semantic']),
  ttlSeconds: z.number(),
  /** Rule files compiled before the error bound carry `similarity` instead; it is dropped and the default bound applies. */
  maxWrongHitRate: z.number().default(0.02),
  scopeTags: z.array(z.string()),
});
export const TrimActionSchema = z.object({
  type: z.literal('trim'),
  node: z.string(),
  maxInputTokens: z.number(),
  collapseWhitespace: z.boolean(),
  keepLastMessages: z.number(),
  maxOutputTokens: z.number(),
});
export const TagActionSchema = z.object({ type: z.literal('tag'), node: z.string(), tags: z.record(z.string(), z.string()) });
export const AlertActionSchema = z.object({
  type: z.literal('alert'),
  node: z.string(),
  webhookEnv: z.string(),
  message: z.string(),
});
export const CountRateActionSchema = z.object({
  type: z.literal('countRate'),
  node: z.string(),
  scope: z.string(),
  rpm: z.number(),
  tpm: z.number(),
});
export const RouteActionSchema = z.object({
  type: z.literal('route'),
  ...RouteTargetSchema.shape,
  /** Tried in order when this route fails after its retries (the `onError` chain). */
  fallbacks: z.array(RouteTargetSchema),
});
export const DegradeActionSchema = z.object({
  type: z.literal('degrade'),
  node: z.string(),
  mode: z.enum(['model', 'cacheOnly', 'reject']),
  model: z.string(),
  provider: RouteProviderSchema,
  status: z.number().int(),
  message: z.string(),
});
export const BlockActionSchema = z.object({
  type: z.literal('block'),
  node: z.string(),
  status: z.number().int(),
  message: z.string(),
});

export const ActionSchema = z.discriminatedUnion('type', [
  CacheActionSchema,
  TrimActionSchema,
  TagActionSchema,
  AlertActionSchema,
  CountRateActionSchema,
  RouteActionSchema,
  DegradeActionSchema,
  BlockActionSchema,
]);
export type Action = z.infer<typeof ActionSchema>;
export type CacheAction = z.infer<typeof CacheActionSchema>;
export type TrimAction = z.infer<typeof TrimActionSchema>;
export type TagAction = z.infer<typeof TagActionSchema>;
export type AlertAction = z.infer<typeof AlertActionSchema>;
export type CountRateAction = z.infer<typeof CountRateActionSchema>;
export type RouteAction = z.infer<typeof RouteActionSchema>;
export type DegradeAction = z.infer<typeof DegradeActionSchema>;
export type BlockAction = z.infer<typeof BlockActionSchema>;
export type TerminalAction = RouteAction | DegradeAction | BlockAction;

/** What a rule's event carries: the path it stands for and the ordered actions, terminal last. */
export const DecisionEventSchema = z.object({
  type: z.literal('decision'),
  params: z.object({
    /** Node ids from the Request node to the terminal, then the edges taken, for highlighting. */
    path: z.array(z.string()),
    edges: z.array(z.string()),
    actions: z.array(ActionSchema).min(1),
  }),
});
export type DecisionEvent = z.infer<typeof DecisionEventSchema>;
