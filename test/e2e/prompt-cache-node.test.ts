import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCount, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

describe('a product owner adds provider prompt caching to a policy', () => {
  it('adds a Prompt cache node from the palette and turns off its history breakpoint in the inspector', async () => {
    const { page } = stack;
    await page.getByTestId('node-route-cheap').waitFor();
    const before = await nodeCount(page);
    await page.getByTestId('palette-promptCache').click();
    await expect.poll(() => nodeCount(page)).toBe(before + 1);

    const node = page.locator('.react-flow__node').filter({ hasText: 'stable order' });
    await expect.poll(() => node.textContent()).toContain('history');
    await node.click();
    await page.getByLabel('Cache the history (Anthropic)').uncheck();
    await expect.poll(() => node.textContent()).not.toContain('history');
    await expect.poll(() => node.textContent()).toContain('tools, system, document, stable order');
  });
});
