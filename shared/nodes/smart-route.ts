import { z } from 'zod';
import type { RouterFactParams } from '../facts.js';
import { calibrationFor, QUALITY_TARGET_MAX, QUALITY_TARGET_MIN, ROUTER_CALIBRATION } from '../routing/router-calibration.js';
import { defineNode } from './spec.js';

export const SmartRouteParamsSchema = z.object({
  /** Share of the strong model's accuracy to keep, in percent; the calibration turns it into a score threshold. */
  qualityTarget: z
    .number()
    .int('a whole percentage')
    .min(QUALITY_TARGET_MIN, `at least ${QUALITY_TARGET_MIN}%`)
    .max(QUALITY_TARGET_MAX, `at most ${QUALITY_TARGET_MAX}%`)
    .default(95),
});
export type SmartRouteParams = z.output<typeof SmartRouteParamsSchema>;

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** What the calibration promises at this setting, in the product owner's terms. */
export function describeSmartRoute(p: SmartRouteParams): string {
  const row = calibrationFor(p.qualityTarget);
  return `keeps ${pct(row.qualityRatio)} of the strong model's accuracy with ${pct(row.premiumShare)} of requests sent to it (held-out subjects)`;
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
  summary: (p) => `quality ≥ ${p.qualityTarget}% of strong, ~${pct(calibrationFor(p.qualityTarget).premiumShare)} to strong`,
  note: (p) => `${describeSmartRoute(p)}. Router ${ROUTER_CALIBRATION.version}.`,
  leave: (p, handle) => {
    const params: RouterFactParams = { version: ROUTER_CALIBRATION.version };
    const { threshold } = calibrationFor(p.qualityTarget);
    const operator = handle === 'strong' ? 'greaterThanInclusive' : 'lessThan';
    return { conditions: [{ fact: 'routerScore', operator, value: threshold, params }], actions: [] };
  },
});
