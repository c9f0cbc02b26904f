import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationFor } from '../../shared/routing/router-calibration.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const pct = (x: number) => `${Math.round(100 * x)}%`;

describe('a product owner tunes the learned router', () => {
  it('sees what a quality target is measured to give, and the figure follows the knob', async () => {
    const { page } = stack;
    await page.getByTestId('node-smart-route').click();
    const note = page.getByTestId('inspector-note');
    const at95 = calibrationFor(95).shapes;
    await expect.poll(() => note.textContent()).toContain(`multiple-choice questions: keeps ${pct(at95.choice.qualityRatio)} of the strong model's accuracy with ${pct(at95.choice.premiumShare)} of requests sent to it`);
    await expect.poll(() => note.textContent()).toContain(`open questions: keeps ${pct(at95.open.qualityRatio)}`);

    await page.getByLabel('Quality target (% of the strong model)').fill('90');
    const at90 = calibrationFor(90).shapes;
    await expect.poll(() => note.textContent()).toContain(`open questions: keeps ${pct(at90.open.qualityRatio)} of the strong model's accuracy with ${pct(at90.open.premiumShare)} of requests`);
    await expect.poll(() => page.getByTestId('node-smart-route').textContent()).toContain('quality ≥ 90% of strong');
  });
});
