import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../shared/facts.js';
import { calibrationFor, PROMPT_SHAPES, ROUTER_CALIBRATION } from '../../shared/routing/router-calibration.js';
import { ROUTER_WEIGHTS } from '../../server/routing/router-fact.js';
import { routerScore } from '../../server/routing/router-model.js';

describe('the shipped router', () => {
  it('scores the training script’s fixed prompts as the training script did', () => {
    expect(ROUTER_WEIGHTS.checks.length).toBeGreaterThanOrEqual(3);
    for (const check of ROUTER_WEIGHTS.checks) {
      const taskType = TASK_TYPES.find((t) => t === check.taskType)!;
      expect(routerScore(ROUTER_WEIGHTS, check.prompt, taskType)).toBeCloseTo(check.score, 5);
    }
  });

  it('keeps its weights file small', () => {
    expect(readFileSync('server/routing/router-weights.json').length).toBeLessThan(1_000_000);
  });

  it('ships a calibration measured for these weights', () => {
    expect(ROUTER_CALIBRATION.version).toBe(ROUTER_WEIGHTS.version);
  });
});

describe('the calibration table', () => {
  const rows = [...ROUTER_CALIBRATION.rows].sort((a, b) => a.qualityTarget - b.qualityTarget);

  it('asks more of the strong model as the quality target rises, for each prompt shape', () => {
    for (const shape of PROMPT_SHAPES) {
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i]!.shapes[shape].threshold).toBeLessThanOrEqual(rows[i - 1]!.shapes[shape].threshold);
        expect(rows[i]!.shapes[shape].premiumShare).toBeGreaterThanOrEqual(rows[i - 1]!.shapes[shape].premiumShare);
      }
    }
  });

  it('meets each target on the held-out scores it was measured on, for each prompt shape', () => {
    for (const row of rows) {
      for (const shape of PROMPT_SHAPES) {
        expect(row.shapes[shape].prompts).toBeGreaterThan(0);
        expect(row.shapes[shape].qualityRatio).toBeGreaterThanOrEqual(row.qualityTarget / 100 - 1e-9);
      }
    }
  });

  it('rounds a target between rows up to the next row that keeps at least that much', () => {
    expect(calibrationFor(95).qualityTarget).toBe(95);
    expect(calibrationFor(94.5).qualityTarget).toBe(95);
    expect(calibrationFor(100).qualityTarget).toBe(100);
  });
});
