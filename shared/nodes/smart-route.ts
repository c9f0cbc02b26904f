import { z } from 'zod';
import { PROMPT_SHAPES, type RouterFactParams } from '../facts.js';
import type { Condition } from '../rule-file.js';
import { calibrationFor, QUALITY_TARGET_MAX, QUALITY_TARGET_MIN, ROUTER_CALIBRATION } from '../routing/router-calibration.js';
import { defineNode } from './spec.js';

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

const pct = (x: number) => `${Math.round(100 * x)}%`;
const SHAPE_NAMES = { choice: 'multiple-choice questions', open: 'open questions' } as const;

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
    return `quality ≥ ${p.qualityTarget}% of strong, ~${pct(Math.max(shapes.choice.premiumShare, shapes.open.premiumShare))} or less to strong`;
  },
  note: (p) => `Held-out subjects, ${describeSmartRoute(p)}. Router ${ROUTER_CALIBRATION.version}.`,
  leave: (p, handle) => {
    const params: RouterFactParams = { version: ROUTER_CALIBRATION.version };
    const { shapes } = calibrationFor(p.qualityTarget);
    const strong: Condition = {
      any: PROMPT_SHAPES.map((shape) => ({
        all: [
          { fact: 'promptShape', operator: 'equal' as const, value: shape, params },
          { fact: 'routerScore', operator: 'greaterThanInclusive' as const, value: shapes[shape].threshold, params },
        ],
      })),
    };
    return { conditions: [handle === 'strong' ? strong : { not: strong }], actions: [] };
  },
});
