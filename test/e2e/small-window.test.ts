import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodesOffCanvas, overflowsWindow, settle, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await stack?.close();
});

describe('on a laptop screen (1280x800, then 1024x768)', () => {
  it('opens with the left rail closed so the whole cost router fits, and remembers the rail once the owner opens it', async () => {
    const { page } = stack;
    const toggle = page.getByRole('button', { name: 'Show policies and nodes' });
    await settle(page);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#left-rail').isVisible()).toBe(false);
    expect(await page.locator('.policy-node').count()).toBe(11);
    expect(await nodesOffCanvas(page)).toEqual([]);
    expect(await overflowsWindow(page)).toEqual([]);

    await toggle.click();
    await expect.poll(() => page.getByRole('heading', { name: 'Policies' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Hide policies and nodes' }).getAttribute('aria-expanded')).toBe('true');
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('#left-rail').isVisible()).toBe(true);
    expect(await overflowsWindow(page)).toEqual([]);

    // Ctrl+\ closes it again from the canvas, and that is remembered too.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Backslash');
    await expect.poll(() => page.locator('#left-rail').isVisible()).toBe(false);
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('#left-rail').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Show policies and nodes' }).isVisible()).toBe(true);
  });

  it('on a 1024 px window keeps the policy name whole: Save as, Dashboard and Keys show icons and keep their names', async () => {
    const { page } = stack;
    await page.setViewportSize({ width: 1024, height: 768 });
    await settle(page);
    expect(await overflowsWindow(page)).toEqual([]);
    const toolbar = page.getByRole('toolbar', { name: 'Editor actions' });
    for (const name of ['Save as…', 'Keys']) expect(await toolbar.getByRole('button', { name, exact: true }).isVisible()).toBe(true);
    expect(await toolbar.getByRole('link', { name: 'Dashboard' }).isVisible()).toBe(true);
    expect(await page.locator('.toolbar .compact-label').first().isVisible()).toBe(false);
    await toolbar.getByRole('button', { name: 'Keys', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog', { name: /keys/i }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
  });
});
