import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
});
afterAll(async () => {
  await stack?.close();
});

const chat = (key: string) =>
  fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('a platform engineer issues and revokes a service key', () => {
  let secret = '';

  it('creates a key bound to a team, sees the secret once and copies it', async () => {
    const { page } = stack;
    // Keys belong to the gateway, not to the policy on the canvas: the top bar opens them.
    await page.getByRole('toolbar', { name: 'Editor actions' }).getByRole('button', { name: 'Keys', exact: true }).click();
    await page.getByRole('dialog', { name: 'Service keys' }).waitFor();
    const panel = page.getByRole('region', { name: 'Service keys' });
    await panel.getByLabel('Name', { exact: true }).fill('search service');
    await panel.getByLabel('Bound tags').fill('team=search, env=prod');
    await panel.getByLabel('Policy', { exact: true }).selectOption('cost-router');
    await panel.getByRole('button', { name: 'Create key' }).click();

    const issued = page.getByTestId('issued-key');
    await issued.waitFor();
    secret = (await issued.textContent()) ?? '';
    expect(secret).toMatch(/^tg_[0-9A-Za-z]{32}$/);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, 'service-key-issued');

    await page.getByRole('button', { name: 'Done' }).click();
    await issued.waitFor({ state: 'detached' });
    const row = page.locator('.key-list li').filter({ hasText: 'search service' });
    await expect.poll(() => row.textContent()).toContain('team=search, env=prod · policy cost-router');
    expect(await page.content()).not.toContain(secret);
    expect((await chat(secret)).status).toBe(200);
  });

  it('revokes it: the list says so and the key is refused at once', async () => {
    const { page } = stack;
    const row = page.locator('.key-list li').filter({ hasText: 'search service' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    expect((await chat(secret)).status).toBe(401);
    await page.getByRole('button', { name: 'Close service keys' }).click();
    await page.getByRole('dialog', { name: 'Service keys' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Inspector', 'Simulate', 'Backtest', 'Rules', 'Versions']);
  });
});
