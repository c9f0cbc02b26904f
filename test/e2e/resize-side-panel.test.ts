import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragBetween, nodesOffCanvas, overflowsWindow, settle, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function width(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return box.width;
}

const panelWidth = (page: Page) => width(page, '#side-panel');
const divider = (page: Page) => page.getByRole('separator', { name: 'Resize side panel' });

/** Waits for the panel to be `px` wide on screen and on the divider, as a screen reader hears it. */
async function expectPanel(page: Page, px: number): Promise<void> {
  await expect.poll(() => panelWidth(page)).toBeCloseTo(px, 0);
  expect(await divider(page).getAttribute('aria-valuenow')).toBe(String(px));
}

describe('the side panel on a 1440x900 screen', () => {
  it('widens by dragging its left edge, keeps the width across a reload, and answers the keyboard and a double-click', async () => {
    const { page } = stack;
    await settle(page);
    const handle = divider(page);
    expect(await handle.getAttribute('aria-orientation')).toBe('vertical');
    expect([await handle.getAttribute('aria-valuemin'), await handle.getAttribute('aria-valuemax')]).toEqual(['300', '720']);
    await expectPanel(page, 356);
    const canvasBefore = await width(page, '[data-testid="canvas"]');

    // Drag the divider 200 px to the left: the panel takes them from the canvas, and the page stays the window's width.
    const box = (await handle.boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await dragBetween(page, from, { x: from.x - 200, y: from.y });
    await expectPanel(page, 556);
    expect(await width(page, '[data-testid="canvas"]')).toBeCloseTo(canvasBefore - 200, 0);
    expect(await overflowsWindow(page)).toEqual([]);
    expect(await page.locator('.policy-node').count()).toBe(11);
    expect(await page.evaluate(() => localStorage.getItem('tollgate.panelWidth'))).toBe('556');

    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    await expectPanel(page, 556);

    // From the keyboard: arrows move the divider their way, Shift in bigger steps, Home and End to the bounds.
    await divider(page).focus();
    await page.keyboard.press('ArrowLeft');
    await expectPanel(page, 572);
    await page.keyboard.press('Shift+ArrowRight');
    await expectPanel(page, 508);
    await page.keyboard.press('Home');
    await expectPanel(page, 300);
    expect(await overflowsWindow(page)).toEqual([]);
    await page.keyboard.press('End');
    await expectPanel(page, 720);

    // A narrower window caps the panel at 60% of it; widened again, the owner's 720 px come back.
    await page.setViewportSize({ width: 1000, height: 900 });
    await expectPanel(page, 600);
    expect(await divider(page).getAttribute('aria-valuemax')).toBe('600');
    await page.setViewportSize({ width: 1440, height: 900 });
    await expectPanel(page, 720);

    // The canvas refits to what the panel leaves it: the whole policy still shows after a fit.
    await page.locator('.react-flow__controls-fitview').click();
    await settle(page);
    expect(await nodesOffCanvas(page)).toEqual([]);

    await divider(page).dblclick();
    await expectPanel(page, 356);
    expect(await page.evaluate(() => localStorage.getItem('tollgate.panelWidth'))).toBe('356');
  });
});
