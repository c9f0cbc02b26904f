import { LRUCache } from 'lru-cache';
import { TASK_TYPES, type RequestFacts } from '../../shared/facts.js';
import type { RouterFactParams } from '../../shared/nodes/smart-route.js';
import { PROMPT_SHAPES, type PromptShape } from '../../shared/routing/router-calibration.js';
import type { RouterAdjustment, RouterStateResponse } from '../../shared/router-state-api.js';
import {
  addOutcome,
  type CorrectionSettings,
  DEFAULT_CORRECTION,
  decayTally,
  EMPTY_TALLY,
  NO_SHIFT,
  nextShift,
  promisedQuality,
  retractOutcome,
  type Shift,
  shiftAt,
  shiftedThreshold,
  type Tally,
  verdictOf,
  wilsonInterval,
} from './online-correction.js';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { checkThresholdAt, cheapFirstIsMoot } from './answer-check-threshold.js';
import { CHECKED_SUFFIX, pointKey, type RouterRef } from './router-ref.js';

type TaskType = RequestFacts['taskType'];

interface Cell {
  cheap: Tally;
  strong: Tally;
  shift: Shift;
}

interface Point {
  qualityTarget: number;
  /** One cell per prompt shape and task type, index shapeIndex * TASK_TYPES.length + taskIndex. */
  cells: Cell[];
}

const CELLS = PROMPT_SHAPES.length * TASK_TYPES.length;
const cellIndex = (shape: PromptShape, taskType: TaskType) => PROMPT_SHAPES.indexOf(shape) * TASK_TYPES.length + TASK_TYPES.indexOf(taskType);
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One feedback as the learner needs it. */
export interface RouterOutcome {
  router: RouterRef;
  score: number;
  /** When the feedback arrived (ms since epoch). */
  at: number;
  /** The request rated: a later rating of the same request replaces the earlier one. */
  requestId?: string;
}

interface Counted {
  point: string;
  cell: number;
  branch: RouterRef['branch'];
  score: number;
  at: number;
}

/**
 * The online correction of the learned router: per operating point, prompt shape and task
 * type, decayed tallies of feedback on each branch and the threshold shift they earned.
 * Bounded: at most `maxPoints` operating points (each a fixed table of shapes × task types);
 * the one least lately fed is dropped first.
 */
export class RouterLearner {
  private readonly points = new Map<string, Point>();
  /** The outcome counted per recently rated request, so re-rating replaces instead of adding (bounded like the points). */
  private readonly counted = new LRUCache<string, Counted>({ max: 100_000 });

  constructor(
    readonly settings: CorrectionSettings = DEFAULT_CORRECTION,
    private readonly maxPoints = 64,
  ) {}

  /** Replays booked feedback oldest first, as the start does. */
  static rebuild(outcomes: Iterable<RouterOutcome>, settings: CorrectionSettings = DEFAULT_CORRECTION): RouterLearner {
    const learner = new RouterLearner(settings);
    for (const o of [...outcomes].sort((a, b) => a.at - b.at)) learner.observe(o);
    return learner;
  }

  observe({ router, score, at, requestId }: RouterOutcome): void {
    const point = this.pointFor(router);
    const index = cellIndex(router.shape, router.taskType);
    const cell = point.cells[index]!;
    const { halfLifeMs } = this.settings;
    if (requestId !== undefined) {
      const before = this.counted.get(requestId);
      if (before) this.retract(before, at);
      this.counted.set(requestId, { point: router.point, cell: index, branch: router.branch, score, at });
    }
    if (router.branch === 'strong') {
      cell.strong = addOutcome(cell.strong, score, at, halfLifeMs);
      return;
    }
    cell.cheap = addOutcome(cell.cheap, score, at, halfLifeMs);
    const promised = promisedQuality({ qualityTarget: point.qualityTarget, strong: decayTally(cell.strong, at, halfLifeMs), settings: this.settings });
    cell.shift = nextShift({ shift: cell.shift, verdict: verdictOf({ cheap: cell.cheap, promised, settings: this.settings }), now: at, settings: this.settings });
  }

  /** The threshold in effect for a prompt of this shape and task type; the calibrated one when nothing was learned. On the hot path. */
  thresholdFor(options: { params: RouterFactParams; shape: PromptShape; taskType: TaskType; now: number }): number {
    const calibrated = options.params.thresholds[options.shape];
    if (this.points.size === 0) return calibrated;
    const point = this.points.get(pointKey(options.params));
    if (!point) return calibrated;
    const shift = shiftAt(point.cells[cellIndex(options.shape, options.taskType)]!.shift, options.now, this.settings.halfLifeMs);
    return shift === 0 ? calibrated : shiftedThreshold(calibrated, shift);
  }

  /**
   * How far feedback has moved one cell toward the strong model (0 none, up to maxShift). A
   * router that checks answers reads it for its open maths questions, which go cheap first
   * whatever the prompt threshold: there the shift lowers the answer check's threshold instead.
   */
  shiftOf(options: { point: string; shape: PromptShape; taskType: TaskType; now: number }): number {
    if (this.points.size === 0) return 0;
    const point = this.points.get(options.point);
    return point ? shiftAt(point.cells[cellIndex(options.shape, options.taskType)]!.shift, options.now, this.settings.halfLifeMs) : 0;
  }

  /** Whether this rating of a request (or a later one) is already counted: catching up from another instance's outcomes skips it. */
  hasCounted(requestId: string, at: number): boolean {
    const counted = this.counted.get(requestId);
    return counted !== undefined && counted.at >= at;
  }

  /** The quality target of the node that last fed an operating point; null before any feedback reached it. */
  qualityTargetOf(point: string): number | null {
    return this.points.get(point)?.qualityTarget ?? null;
  }

  /** What the correction does for one prompt: for /v1/decide, the simulator and /api/router/state. */
  adjustment(options: { params: RouterFactParams; shape: PromptShape; taskType: TaskType; now: number }): RouterAdjustment {
    const { params, shape, taskType, now } = options;
    const point = this.points.get(pointKey(params));
    const cell = point?.cells[cellIndex(shape, taskType)] ?? { cheap: EMPTY_TALLY, strong: EMPTY_TALLY, shift: NO_SHIFT };
    return this.describe({ point: pointKey(params), qualityTarget: point?.qualityTarget ?? null, calibrated: params.thresholds[shape], shape, taskType, cell, now });
  }

  /** Every cell that has seen feedback, for GET /api/router/state. */
  state(now: number): RouterStateResponse {
    const adjustments: RouterAdjustment[] = [];
    for (const [key, point] of this.points) {
      const thresholds = thresholdsOfKey(key);
      point.cells.forEach((cell, i) => {
        if (cell.cheap.at === 0 && cell.strong.at === 0) return;
        const shape = PROMPT_SHAPES[Math.floor(i / TASK_TYPES.length)]!;
        const taskType = TASK_TYPES[i % TASK_TYPES.length]!;
        adjustments.push(this.describe({ point: key, qualityTarget: point.qualityTarget, calibrated: thresholds[shape] ?? null, shape, taskType, cell, now }));
      });
    }
    const { halfLifeMs, minOutcomes, z, step, maxShift } = this.settings;
    return { settings: { halfLifeMs, minOutcomes, z, step, maxShift }, points: this.points.size, maxPoints: this.maxPoints, adjustments };
  }

  private describe(o: { point: string; qualityTarget: number | null; calibrated: number | null; shape: PromptShape; taskType: TaskType; cell: Cell; now: number }): RouterAdjustment {
    const { halfLifeMs } = this.settings;
    const cheap = decayTally(o.cell.cheap, o.now, halfLifeMs);
    const strong = decayTally(o.cell.strong, o.now, halfLifeMs);
    const shift = shiftAt(o.cell.shift, o.now, halfLifeMs);
    const interval = wilsonInterval(cheap.good, cheap.weight, this.settings.z);
    const promised = o.qualityTarget === null ? null : promisedQuality({ qualityTarget: o.qualityTarget, strong, settings: this.settings });
    return {
      point: o.point,
      shape: o.shape,
      taskType: o.taskType,
      qualityTarget: o.qualityTarget,
      cheap: { outcomes: round(cheap.weight), quality: cheap.weight > 0 ? round(cheap.good / cheap.weight) : null, lower: round(interval.lower), upper: round(interval.upper) },
      strong: { outcomes: round(strong.weight), quality: strong.weight > 0 ? round(strong.good / strong.weight) : null },
      promised: promised === null ? null : round(promised),
      shift: round(shift),
      calibratedThreshold: o.calibrated,
      threshold: o.calibrated === null ? null : shift === 0 ? o.calibrated : round6(shiftedThreshold(o.calibrated, shift)),
      ...(o.point.endsWith(CHECKED_SUFFIX) && o.qualityTarget !== null && o.shape === 'open' && o.taskType === 'math' ? { answerCheck: checkedCellState(o.qualityTarget, shift) } : {}),
    };
  }

  private retract(before: Counted, now: number): void {
    const cell = this.points.get(before.point)?.cells[before.cell];
    if (!cell) return;
    const outcome = { score: before.score, scoredAt: before.at };
    if (before.branch === 'strong') cell.strong = retractOutcome(cell.strong, outcome, now, this.settings.halfLifeMs);
    else cell.cheap = retractOutcome(cell.cheap, outcome, now, this.settings.halfLifeMs);
  }

  private pointFor(router: RouterRef): Point {
    const known = this.points.get(router.point);
    if (known) {
      // Re-inserted so the map's order is least lately fed first.
      this.points.delete(router.point);
      this.points.set(router.point, known);
      known.qualityTarget = router.qualityTarget;
      return known;
    }
    if (this.points.size >= this.maxPoints) this.points.delete(this.points.keys().next().value!);
    const point: Point = { qualityTarget: router.qualityTarget, cells: Array.from({ length: CELLS }, () => ({ cheap: EMPTY_TALLY, strong: EMPTY_TALLY, shift: NO_SHIFT })) };
    this.points.set(router.point, point);
    return point;
  }
}

/** The answer check's threshold in effect for a checked router's open maths questions. */
function checkedCellState(qualityTarget: number, shift: number): NonNullable<RouterAdjustment['answerCheck']> {
  const calibratedThreshold = answerCheckCalibrationFor(qualityTarget).threshold;
  return { calibratedThreshold, threshold: checkThresholdAt(calibratedThreshold, shift), straightToStrong: cheapFirstIsMoot(qualityTarget, shift) };
}

function thresholdsOfKey(key: string): Partial<Record<PromptShape, number>> {
  const plain = key.endsWith(CHECKED_SUFFIX) ? key.slice(0, -CHECKED_SUFFIX.length) : key;
  const values = plain.slice(plain.lastIndexOf(':') + 1).split(',').map(Number);
  return Object.fromEntries(PROMPT_SHAPES.map((s, i) => [s, values[i]]).filter(([, v]) => Number.isFinite(v)));
}
