import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStack, type Stack } from './harness.js';

const TOKEN = 'e2e-admin-token-0123456789';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { TOLLGATE_ADMIN_TOKEN: TOKEN } });
});
afterAll(async () => {
  await stack?.close();
});

describe('an admin opens an editor that needs the admin token', () => {
  it('is asked once, told when the token is wrong, then sees the policies', async () => {
    const { page } = stack;
    const dialog = page.getByRole('dialog', { name: 'Admin token' });
    await dialog.waitFor();
    // The editor's first calls (policies, pricing) are refused together and share this one dialog.
    expect(await page.getByRole('dialog').count()).toBe(1);
    await screenshot(page, 'admin-token-asked');

    await dialog.getByLabel('Token', { exact: true }).fill('not-the-token-at-all');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('refused');

    await dialog.getByLabel('Token', { exact: true }).fill(TOKEN);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('navigation', { name: 'Policies' }).getByRole('button', { name: /Team budget guard/ }).waitFor();
    // The calls that waited for the token went on: the default policy is on the canvas.
    await expect.poll(() => page.getByTestId('policy-name').textContent()).toBe('Cost router');
  });

  it('keeps the token for the tab (session storage, never the URL) and does not ask again on reload', async () => {
    const { page } = stack;
    expect(await page.evaluate(() => sessionStorage.getItem('tollgate.adminToken'))).toBe(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    await page.reload();
    await page.getByRole('navigation', { name: 'Policies' }).getByRole('button', { name: /Team budget guard/ }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Admin token' }).count()).toBe(0);
  });
});
