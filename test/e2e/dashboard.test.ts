import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

function chat(team: string, model: string): Promise<Response> {
  return fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': `team=${team}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Summarise our refund policy in one line.' }] }),
  });
}

describe('a FinOps engineer reads spend on the dashboard', () => {
  it('sees spend by team, budgets burning with a forecast, then narrows to one team and model, the view kept in the URL', async () => {
    const answers = await Promise.all([...Array.from({ length: 6 }, () => chat('search', 'gpt-4o')), ...Array.from({ length: 4 }, () => chat('ads', 'gpt-4o-mini'))]);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));

    const { page } = stack;
    await page.goto(`${stack.url}/dashboard?range=24h&groupBy=team`);
    await expect.poll(() => page.getByTestId('kpi-requests').textContent()).toBe('10');
    const totals = page.getByTestId('spend-totals').locator('tr');
    await expect.poll(() => totals.allTextContents()).toEqual([expect.stringMatching(/search.*6 requests/), expect.stringMatching(/ads.*4 requests/)]);
    await expect.poll(() => page.locator('[data-testid="spend-chart"] .recharts-area').count()).toBe(2);
    await expect.poll(() => page.getByTestId('budget-burn').count()).toBe(2);
    expect(await page.getByTestId('budget-line').first().textContent()).toMatch(/of \$50\.00 .*forecast/);
    await expect.poll(() => page.getByTestId('route-quality').locator('tbody tr').allTextContents()).toEqual([expect.stringMatching(/^as-requested10/)]);
    await screenshot(page, 'dashboard');

    await page.getByLabel('Group by').selectOption('model');
    await page.getByLabel('Only').selectOption('team=ads');
    await expect.poll(() => page.getByTestId('kpi-requests').textContent()).toBe('4');
    await expect.poll(() => totals.allTextContents()).toEqual([expect.stringMatching(/^ gpt-4o-mini.*4 requests/)]);
    expect(new URL(page.url()).search).toBe('?range=24h&groupBy=model&filter=team%3Dads');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('tollgate-spend-model-24h.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('bucket_start,model,cost_micro_usd,requests');
    expect(csv.trim().split('\n')).toHaveLength(1 + 24);

    await page.reload();
    await expect.poll(() => page.getByTestId('kpi-requests').textContent()).toBe('4');
    expect(await page.getByLabel('Only').inputValue()).toBe('team=ads');
  });

  it("sees how many cheap answers the learned router asked again, and it matches the overview's figures", async () => {
    const maths = (i: number) => `A farmer has ${40 + i} sheep. He sells a quarter of them at market, then buys 7 more and loses 3 in a storm. How many sheep does he have now?`;
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'cost-router', 'x-tollgate-tags': 'team=maths' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: maths(i) }] }),
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-tollgate-answer-check')).toMatch(/^(passed|escalated); /);
    }
    const day = new Date().toISOString().slice(0, 10);
    const overview = (await (await fetch(`${stack.url}/api/usage/overview?from=${day}&to=${day}`)).json()) as { answerCheck: { checked: number; escalated: number } };
    expect(overview.answerCheck.checked).toBe(3);

    const { page } = stack;
    await page.goto(`${stack.url}/dashboard?range=24h&groupBy=team`);
    await expect.poll(() => page.getByTestId('kpi-answer-check').textContent()).toBe(`${overview.answerCheck.escalated} of 3`);
    // Narrowed to a team the check never read, the figure is not shown.
    await page.getByLabel('Only').selectOption('team=ads');
    await expect.poll(() => page.getByTestId('kpi-requests').textContent()).toBe('4');
    await expect.poll(() => page.getByTestId('kpi-answer-check').count()).toBe(0);
  });
});
