import { z } from 'zod';
import { calibrationFor, PROMPT_SHAPES, QUALITY_TARGET_MAX, QUALITY_TARGET_MIN, ROUTER_CALIBRATION } from '../routing/router-calibration.js';
import type { PromptShape } from '../routing/router-calibration.js';
import { ANSWER_CHECK_CALIBRATION, answerCheckCalibrationFor } from '../routing/answer-check-calibration.js';
import { actionSchema, defineAction, defineFact, defineNode } from './spec.js';

export const SmartRouteParamsSchema = z.object({
  /** Share of the strong model's accuracy to keep, in percent; the calibration turns it into score thresholds. */
  qualityTarget: z
    .number()
    .int('a whole percentage')
    .min(QUALITY_TARGET_MIN, `at least ${QUALITY_TARGET_MIN}%`)
    .max(QUALITY_TARGET_MAX, `at most ${QUALITY_TARGET_MAX}%`)
    .default(95),
  /**
   * Open maths questions go to the cheap model first and its answer is checked; only an answer
   * that looks wrong is asked again of the strong model (a cascade). Any cheap answer that breaks
   * the JSON or tool-call format its request asked for is asked again too. Multiple-choice
   * questions, whose answer is one letter with nothing to check, keep routing by the prompt.
   */
  checkAnswers: z.boolean().default(false),
  /**
   * With answers checked, streamed open maths questions too: the cheap answer is fetched whole
   * and checked before the first byte goes out, then sent as a stream (the strong one likewise
   * after an escalation). The caller waits for the whole answer instead of the first token.
   */
  checkStreams: z.boolean().default(false),
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
  /**
   * Open maths questions that are not streamed go cheap first (their answer is checked, see
   * `checkAnswer`); a stream cannot be taken back once sent, and other open questions are not
   * what the check learned from, so they keep the prompt's threshold.
   */
  checkOpenAnswers: z.literal(true).optional(),
  /** Streamed ones too (fetched whole and checked before the stream starts). */
  checkStreams: z.literal(true).optional(),
});
export type RouterFactParams = z.output<typeof RouterFactParamsSchema>;

/** On the cheap branch of a router that checks answers: escalate when the answer check scores at or above `threshold`. */
export const CheckAnswerActionSchema = actionSchema(
  'checkAnswer',
  z.object({
    /** The answer-check weights the threshold was calibrated for. */
    version: z.string(),
    threshold: z.number(),
    /** Streamed requests are checked too: their cheap answer is fetched whole and sent as a stream once it passed. */
    streams: z.literal(true).optional(),
  }),
);
export type CheckAnswerAction = z.output<typeof CheckAnswerActionSchema>;

const pct = (x: number) => `${Math.round(100 * x)}%`;
const SHAPE_NAMES: Record<PromptShape, string> = { choice: 'multiple-choice questions', open: 'open questions' };
const CHECKED_NAME = 'open maths questions';

/** The share sent to the strong model and the accuracy kept, per prompt shape, at this setting (from the calibrations). */
export function expectedSmartRoute(p: SmartRouteParams): Record<PromptShape, { premiumShare: number; qualityRatio: number; checked: boolean }> {
  const { shapes } = calibrationFor(p.qualityTarget);
  const check = answerCheckCalibrationFor(p.qualityTarget);
  const point = (s: PromptShape) =>
    s === 'open' && p.checkAnswers
      ? { premiumShare: check.escalatedShare, qualityRatio: check.qualityRatio, checked: true }
      : { premiumShare: shapes[s].premiumShare, qualityRatio: shapes[s].qualityRatio, checked: false };
  return { choice: point('choice'), open: point('open') };
}

/** What the calibration promises at this setting, in the product owner's terms. */
export function describeSmartRoute(p: SmartRouteParams): string {
  const expected = expectedSmartRoute(p);
  return PROMPT_SHAPES.map((s) => {
    const { premiumShare, qualityRatio, checked } = expected[s];
    const sent = checked ? `${pct(premiumShare)} of cheap answers asked again of the strong model` : `${pct(premiumShare)} of requests sent to it`;
    const others = p.checkStreams ? 'other open questions are' : 'other open questions and streams are';
    const streams = checked ? ` (${others} routed by the prompt: ${pct(calibrationFor(p.qualityTarget).shapes.open.premiumShare)} to the strong model)` : '';
    return `${checked ? CHECKED_NAME : SHAPE_NAMES[s]}: keeps ${pct(qualityRatio)} of the strong model's accuracy with ${sent}${streams}`;
  }).join('; ');
}

export const smartRouteNode = defineNode({
  kind: 'smartRoute',
  title: 'Learned router',
  description:
    'Scores each prompt with a small trained model: requests the strong model is expected to get right where the cheap one would not take "strong", the rest "cheap". With answers checked, open maths questions go cheap first and a cheap answer that looks wrong, or breaks the JSON or tool-call format asked for, is asked again of the strong model.',
  category: 'branch',
  color: '#7c3aed',
  icon: '✦',
  params: SmartRouteParamsSchema,
  outputs: () => [
    { id: 'cheap', label: 'cheap' },
    { id: 'strong', label: 'strong' },
  ],
  summary: (p) => {
    const expected = expectedSmartRoute(p);
    const most = pct(Math.max(...PROMPT_SHAPES.map((s) => expected[s].premiumShare)));
    return `quality ≥ ${p.qualityTarget}% of strong, ~${most} or less to strong${p.checkAnswers ? `, cheap answers checked${p.checkStreams ? ' (streams too)' : ''}` : ''}`;
  },
  note: (p) =>
    `Held out, ${describeSmartRoute(p)}.${p.checkAnswers ? ' Cheap answers that break a JSON or tool-call format the request asked for are asked again of the strong model.' : ''} Router ${ROUTER_CALIBRATION.version}${p.checkAnswers ? `, answer check ${ANSWER_CHECK_CALIBRATION.version}` : ''}.`,
  labels: {
    qualityTarget: 'Quality target (% of the strong model)',
    checkAnswers: 'Check cheap answers (maths working, JSON, tool calls)',
    checkStreams: 'Check streamed answers too (the stream starts after the check)',
  },
  visibleWhen: { checkStreams: (p) => p.checkAnswers },
  itemNames: {},
  action: defineAction({
    type: 'checkAnswer',
    schema: CheckAnswerActionSchema,
    describe: (a) => `check the cheap answer; ask the strong model again at check score ≥ ${a.threshold}`,
  }),
  fact: defineFact({ name: 'routerScore', params: RouterFactParamsSchema, value: z.number().min(-3).max(3) }),
  leave: (p, handle, node) => {
    const { shapes } = calibrationFor(p.qualityTarget);
    const thresholds = Object.fromEntries(PROMPT_SHAPES.map((s) => [s, shapes[s].threshold])) as Record<PromptShape, number>;
    const streams = p.checkAnswers && p.checkStreams;
    const params: RouterFactParams = {
      version: ROUTER_CALIBRATION.version,
      thresholds,
      ...(p.checkAnswers ? { checkOpenAnswers: true as const } : {}),
      ...(streams ? { checkStreams: true as const } : {}),
    };
    const operator = handle === 'strong' ? 'greaterThanInclusive' : 'lessThan';
    const check: CheckAnswerAction[] =
      handle === 'cheap' && p.checkAnswers
        ? [
            {
              type: 'checkAnswer',
              node: node.id,
              version: ANSWER_CHECK_CALIBRATION.version,
              threshold: answerCheckCalibrationFor(p.qualityTarget).threshold,
              ...(streams ? { streams: true as const } : {}),
            },
          ]
        : [];
    return { conditions: [{ fact: 'routerScore', operator, value: 0, params }], actions: check };
  },
});
