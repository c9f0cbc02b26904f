import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, screenshot, settle, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { TOLLGATE_CAPTURE: 'all' } });
});
afterAll(async () => {
  await stack?.close();
});

const LEGAL =
  'Analyse the following contract clauses step by step, compare the indemnification and limitation of liability terms against market standard, identify risks for the licensee, and propose redlines with a justification for each.\n\n' +
  'Clause 9.1: The Licensor shall indemnify, defend and hold harmless the Licensee against any third-party claim alleging that the Software infringes any patent, copyright or trade secret, provided the Licensee notifies the Licensor promptly and grants it sole control of the defence. '.repeat(6);

function chat(team: string, content: string): Promise<Response> {
  return fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'cost-router', 'x-tollgate-tags': `team=${team}` },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 300, messages: [
        { role: 'system', content: 'You are a careful legal analyst.' },
        { role: 'user', content },
      ] }),
  });
}

describe('a product owner backtests a change on last hour’s traffic before publishing it', () => {
  it('sends premium work to the mid model, sees the cost drop per team and model, and lights a changed request’s old and new path', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => chat('legal', `Matter ${i}. ${LEGAL}`)),
      ...Array.from({ length: 4 }, (_, i) => chat('search', `hi ${i}`)),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(answers.map((a) => a.headers.get('x-tollgate-rule'))).toEqual([...Array(8).fill('premium-model'), ...Array(4).fill('cheap-model')]);

    const { page } = stack;
    await page.getByTestId('node-premium-work').waitFor();
    await settle(page);
    // The first view holds the whole policy, the mid route included.
    await connect(page, 'premium-work', 'true', 'route-mid');
    // One edge per output: connecting it again moves its edge, so the count stays.
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(13);
    await expect.poll(() => page.getByTestId('policy-status').textContent()).toBe('unsaved changes');

    await page.getByRole('tab', { name: 'Backtest' }).click();
    await page.getByLabel("Capture this policy's requests (redacted) for backtests").check();
    await page.getByLabel('Keep for (days)').fill('14');
    await page.getByLabel('Window').selectOption('hour');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect.poll(() => page.getByTestId('backtest-replayed').textContent()).toContain('Replayed 12 of 12 captured requests; 8 decided differently');
    const team = page.getByTestId('bars-team-row');
    await expect.poll(() => team.allTextContents()).toHaveLength(2);
    await expect.poll(() => page.getByTestId('bars-model-row').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^gpt-4o\$[\d.]+ · 8\$0 · 0$/)]));
    await expect.poll(() => page.locator('[data-testid="bars-team"] .recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(3);

    const changed = page.getByTestId('changed-list').getByRole('button');
    await expect.poll(() => changed.count()).toBe(8);
    await changed.first().click();
    await expect.poll(() => page.locator('[data-testid="node-route-premium"].was-path').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid="node-route-mid"].on-path').count()).toBe(1);
    // The served path's last edge is gone from the draft (it was moved), so only its node shows the old way.
    // request → trim → premium work → mid model.
    await expect.poll(() => page.locator('.react-flow__edge.on-path').count()).toBe(3);
    await expect.poll(() => page.locator('.policy-node.was-path').count()).toBe(1);
    await screenshot(page, 'editor-backtest-tab');
  });

  it('publishes with the backtest and finds its summary on the version', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Publish with this backtest' }).click();
    await page.getByRole('dialog', { name: /^Publish / }).getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByText(/with its backtest: it is live now/).waitFor();
    await page.getByRole('tab', { name: 'Versions' }).click();
    const line = page.getByTestId('version-backtest');
    await expect.poll(() => line.count()).toBe(1);
    expect(await line.textContent()).toMatch(/^Backtested on 12 requests .*8 changed$/);
    const live = (await (await fetch(`${stack.url}/api/policies/cost-router`)).json()) as { ruleFile: { graph: { settings?: unknown } } };
    expect(live.ruleFile.graph.settings).toEqual({ capture: { enabled: true, retentionDays: 14 } });
  });
});
