import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickNode, holdKey, nodeCount, screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const edgeCount = () => stack.page.locator('.react-flow__edge').count();

/** Keys go to the canvas, not to a form field, where the browser's own undo applies. */
async function focusCanvas(): Promise<void> {
  await stack.page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
}

describe('a product owner undoes and redoes edits', () => {
  it('undoes and redoes adding a node with Ctrl+Z and Ctrl+Shift+Z', async () => {
    const { page } = stack;
    await page.getByTestId('node-route-cheap').waitFor();
    const before = await nodeCount(page);
    await page.getByTestId('palette-cache').click();
    await expect.poll(() => nodeCount(page)).toBe(before + 1);

    await focusCanvas();
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => nodeCount(page)).toBe(before + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(before);
  });

  it('brings back a deleted node together with its edges', async () => {
    const { page } = stack;
    const nodes = await nodeCount(page);
    const edges = await edgeCount();
    await clickNode(page, 'route-mid');
    // Backspace deletes what is selected: the key waits until the click has selected the node.
    const mid = page.locator('.react-flow__node', { has: page.getByTestId('node-route-mid') });
    await expect.poll(() => mid.getAttribute('class')).toMatch(/\bselected\b/);
    await holdKey(page, 'Backspace', () => expect.poll(() => nodeCount(page)).toBe(nodes - 1));
    await expect.poll(edgeCount).toBeLessThan(edges);

    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(nodes);
    await expect.poll(edgeCount).toBe(edges);
    await expect.poll(() => page.getByTestId('policy-status').textContent()).not.toBe('unsaved changes');
  });

  it('undoes typing in a field as one step', async () => {
    const { page } = stack;
    await clickNode(page, 'route-cheap');
    await page.getByLabel('Label', { exact: true }).fill('');
    await page.getByLabel('Label', { exact: true }).pressSequentially('Budget model');
    await expect.poll(() => page.getByTestId('node-route-cheap').textContent()).toContain('Budget model');

    await focusCanvas();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('node-route-cheap').textContent()).toContain('Cheap model');
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.getByTestId('node-route-cheap').textContent()).toContain('Budget model');
  });

  it('duplicates, copies and pastes nodes, each one undoable', async () => {
    const { page } = stack;
    const before = await nodeCount(page);
    await clickNode(page, 'route-premium');
    await page.keyboard.press('Control+d');
    await expect.poll(() => nodeCount(page)).toBe(before + 1);
    await page.getByTestId('node-route-1').waitFor();

    await clickNode(page, 'route-mid');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => nodeCount(page)).toBe(before + 2);
    await page.getByTestId('node-route-2').waitFor();

    await focusCanvas();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(before);
  });
});

describe('a product owner works from the keyboard', () => {
  it('focuses a node with Tab, selects it with Enter, deletes it with Delete and undoes that', async () => {
    const { page } = stack;
    const nodes = await nodeCount(page);
    await focusCanvas();
    const target = page.locator('.react-flow__node[data-id="route-mid"]');
    await target.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Label', { exact: true }).inputValue()).toBe('Mid model');
    await target.focus();
    await holdKey(page, 'Delete', () => expect.poll(() => nodeCount(page)).toBe(nodes - 1));
    await page.keyboard.press('Control+z');
    await expect.poll(() => nodeCount(page)).toBe(nodes);
  });

  it('reaches the first node from the canvas with Tab', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Redo' }).focus();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('react-flow__node') ?? false);
    }
    expect(reached).toBe(true);
  });
});

describe('a product owner prefers the dark theme', () => {
  it('switches theme and keeps it after a reload', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByRole('tab', { name: 'Rules' }).click();
    // The cheap route was relabelled "Budget model" above (and redone), so its rule is named for that label.
    await expect.poll(() => page.getByTestId('rule-preview').textContent()).toContain('"name": "budget-model"');
    await screenshot(page, 'editor-dark-rules-preview');
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
  });
});
