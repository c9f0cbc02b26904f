import { z } from 'zod';
import { calibrationFor, PROMPT_SHAPES, QUALITY_TARGET_MAX, QUALITY_TARGET_MIN, ROUTER_CALIBRATION } from '../routing/router-calibration.js';
import type { PromptShape } from '../routing/router-calibration.js';
import { defineFact, defineNode } from './spec.js';

export const SmartRouteParamsSchema = z.object({
  /** Share of the strong model's accuracy to keep, in percent; the calibration turns it into score thresholds. */
  qualityTarget: z
    .number()
    .int('a whole percentage')
    .min(QUALITY_TARGET_MIN, `at least ${QUALITY_TARGET_MIN}%`)
    .max(QUALITY_TARGET_MAX, `at most ${QUALITY_TARGET_MAX}%`)
    .default(95),
});
export type SmartRouteParams = z.output<typeof SmartRouteParamsSchema>;

/**
 * The `routerScore` fact: the request's router score minus the calibrated threshold of its
 * prompt shape, so one condition `routerScore ≥ 0` means "strong" whatever the shape.
 * `version` names the weights the thresholds were calibrated for.
 */
export const RouterFactParamsSchema = z.object({
  version: z.string(),
  thresholds: z.object(Object.fromEntries(PROMPT_SHAPES.map((s) => [s, z.number()])) as Record<PromptShape, z.ZodNumber>),
});
export type RouterFactParams = z.output<typeof RouterFactParamsSchema>;

const pct = (x: number) => `${Math.round(100 * x)}%`;
const SHAPE_NAMES: Record<PromptShape, string> = { choice: 'multiple-choice questions', open: 'open questions' };

/** What the calibration promises at this setting, in the product owner's terms. */
export function describeSmartRoute(p: SmartRouteParams): string {
  const { shapes } = calibrationFor(p.qualityTarget);
  return PROMPT_SHAPES.map(
    (s) => `${SHAPE_NAMES[s]}: keeps ${pct(shapes[s].qualityRatio)} of the strong model's accuracy with ${pct(shapes[s].premiumShare)} of requests sent to it`,
  ).join('; ');
}

export const smartRouteNode = defineNode({
  kind: 'smartRoute',
  title: 'Learned router',
  description:
    'Scores each prompt with a small trained model: requests the strong model is expected to get right where the cheap one would not take "strong", the rest "cheap".',
  category: 'branch',
  color: '#7c3aed',
  icon: '✦',
  params: SmartRouteParamsSchema,
  outputs: () => [
    { id: 'cheap', label: 'cheap' },
    { id: 'strong', label: 'strong' },
  ],
  summary: (p) => {
    const { shapes } = calibrationFor(p.qualityTarget);
    return `quality ≥ ${p.qualityTarget}% of strong, ~${pct(Math.max(...PROMPT_SHAPES.map((s) => shapes[s].premiumShare)))} or less to strong`;
  },
  note: (p) => `Held-out subjects, ${describeSmartRoute(p)}. Router ${ROUTER_CALIBRATION.version}.`,
  labels: { qualityTarget: 'Quality target (% of the strong model)' },
  itemNames: {},
  action: null,
  fact: defineFact({ name: 'routerScore', params: RouterFactParamsSchema, value: z.number().min(-3).max(3) }),
  leave: (p, handle) => {
    const { shapes } = calibrationFor(p.qualityTarget);
    const thresholds = Object.fromEntries(PROMPT_SHAPES.map((s) => [s, shapes[s].threshold])) as Record<PromptShape, number>;
    const params: RouterFactParams = { version: ROUTER_CALIBRATION.version, thresholds };
    const operator = handle === 'strong' ? 'greaterThanInclusive' : 'lessThan';
    return { conditions: [{ fact: 'routerScore', operator, value: 0, params }], actions: [] };
  },
});
