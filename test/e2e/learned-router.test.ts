import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { calibrationFor } from '../../shared/routing/router-calibration.js';
import { clickNode, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** Selects the learned router so the inspector shows it. */
async function selectRouter(): Promise<void> {
  const { page } = stack;
  await expect.poll(() => page.getByTestId('policy-name').textContent()).toBe('Cost router');
  await clickNode(page, 'smart-route');
  const node = page.locator('.react-flow__node', { has: page.getByTestId('node-smart-route') });
  await expect.poll(() => node.getAttribute('class')).toMatch(/\bselected\b/);
}

describe('a product owner tunes the learned router', () => {
  it('sees what a quality target is measured to give, and the figure follows the knob', async () => {
    const { page } = stack;
    await selectRouter();
    const note = page.getByTestId('inspector-note');
    const at95 = calibrationFor(95).shapes;
    const check95 = answerCheckCalibrationFor(95);
    await expect.poll(() => note.textContent()).toContain(`multiple-choice questions: keeps ${pct(at95.choice.qualityRatio)} of the strong model's accuracy with ${pct(at95.choice.premiumShare)} of requests sent to it`);
    // The example checks cheap answers to open maths questions; other open questions go by the prompt.
    await expect.poll(() => note.textContent()).toContain(`open maths questions: keeps ${pct(check95.qualityRatio)} of the strong model's accuracy with ${pct(check95.escalatedShare)} of cheap answers asked again`);
    await expect.poll(() => note.textContent()).toContain(`routed by the prompt: ${pct(at95.open.premiumShare)} to the strong model`);

    await page.getByLabel('Quality target (% of the strong model)').fill('90');
    const at90 = calibrationFor(90).shapes;
    await expect.poll(() => note.textContent()).toContain(`multiple-choice questions: keeps ${pct(at90.choice.qualityRatio)} of the strong model's accuracy with ${pct(at90.choice.premiumShare)} of requests`);
    await expect.poll(() => note.textContent()).toContain(`open maths questions: keeps ${pct(answerCheckCalibrationFor(90).qualityRatio)}`);
    await expect.poll(() => page.getByTestId('node-smart-route').textContent()).toContain('quality ≥ 90% of strong');
  });

  it('offers to check streamed answers only while cheap answers are checked, and the note says streams are then checked too', async () => {
    const { page } = stack;
    await selectRouter();
    const note = page.getByTestId('inspector-note');
    const checkAnswers = page.getByLabel('Check cheap answers (maths working, JSON, tool calls)');
    const checkStreams = page.getByLabel('Check streamed answers too (the stream starts after the check)');
    // The example checks cheap answers, streams aside.
    await expect.poll(() => checkAnswers.isChecked()).toBe(true);
    await expect.poll(() => note.textContent()).toContain('other open questions and streams are routed by the prompt');
    await checkStreams.check();
    await expect.poll(() => note.textContent()).toContain('other open questions are routed by the prompt');
    await expect.poll(() => page.getByTestId('node-smart-route').textContent()).toContain('cheap answers checked (streams too)');
    await checkAnswers.uncheck();
    await expect.poll(() => checkStreams.count()).toBe(0);
    await checkAnswers.check();
    await checkStreams.uncheck();
    await expect.poll(() => page.getByTestId('node-smart-route').textContent()).not.toContain('streams too');
  });

  it('sees in the simulator that thumbs-down on cheap answers moved the threshold toward the strong model', async () => {
    const { page, url } = stack;
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-story', maxRetries: 0 });
    const prompt = (i: number) => `Translate into French: good morning, my name is Ada and I would like a table for two people tonight at eight o'clock please, booking ${i}.`;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { response } = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: prompt(i) }] }).withResponse();
      expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
      ids.push(response.headers.get('x-tollgate-request-id')!);
    }
    for (const requestId of ids) await client.post('/feedback', { body: { requestId, thumbs: 'down' } });

    // The story before moved the knob to 90%; the live policy, which got the feedback, is at 95%.
    await selectRouter();
    await page.getByLabel('Quality target (% of the strong model)').fill('95');
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await page.getByLabel('User message').fill(prompt(100));
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const online = page.getByTestId('router-online');
    await expect.poll(() => online.textContent()).toContain('From feedback (open, translate): cheap answers 0% good over 60 outcomes');
    await expect.poll(() => online.textContent()).toContain('toward strong');
  });
});
