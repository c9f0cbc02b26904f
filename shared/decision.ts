import { z } from 'zod';
import type { ActionOf, NodeSpecs } from './nodes/index.js';
import { NODE_SPECS } from './nodes/index.js';

export { RouteTargetSchema, RouteActionSchema, type RouteTarget } from './nodes/route.js';
export { CacheActionSchema } from './nodes/cache.js';
export { TrimActionSchema } from './nodes/trim.js';
export { PromptCacheActionSchema } from './nodes/prompt-cache.js';
export { BatchActionSchema } from './nodes/batch.js';
export { TagActionSchema } from './nodes/tag.js';
export { AlertActionSchema } from './nodes/alert.js';
export { CountRateActionSchema } from './nodes/rate-limit.js';
export { DegradeActionSchema } from './nodes/degrade.js';
export { BlockActionSchema } from './nodes/block.js';

/** Every action a rule's event may carry: the union of the node specs' own action schemas. */
export type Action = { [K in keyof NodeSpecs]: ActionOf<NodeSpecs[K]['action']> }[keyof NodeSpecs];
type ActionOfType<T extends Action['type']> = Extract<Action, { type: T }>;

const ACTION_SCHEMAS = Object.values(NODE_SPECS).flatMap((spec) => (spec.action ? [spec.action.schema] : []));
export const ActionSchema = z.discriminatedUnion('type', ACTION_SCHEMAS as [(typeof ACTION_SCHEMAS)[number], ...(typeof ACTION_SCHEMAS)[number][]]) as unknown as z.ZodType<Action>;

export type CacheAction = ActionOfType<'cache'>;
export type TrimAction = ActionOfType<'trim'>;
export type PromptCacheAction = ActionOfType<'promptCache'>;
export type BatchAction = ActionOfType<'batch'>;
export type TagAction = ActionOfType<'tag'>;
export type AlertAction = ActionOfType<'alert'>;
export type CountRateAction = ActionOfType<'countRate'>;
export type RouteAction = ActionOfType<'route'>;
export type DegradeAction = ActionOfType<'degrade'>;
export type BlockAction = ActionOfType<'block'>;
/** The action that ends a path: the one its terminal node puts there. */
export type TerminalAction = {
  [K in keyof NodeSpecs]: NodeSpecs[K]['category'] extends 'terminal' ? ActionOf<NodeSpecs[K]['action']> : never;
}[keyof NodeSpecs];

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
