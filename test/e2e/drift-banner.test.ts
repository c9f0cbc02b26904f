import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    // Someone edits the committed rule file by hand: the cheap route now runs gpt-4o.
    prepareRules: async (rulesDir) => {
      const file = path.join(rulesDir, 'cost-router.json');
      const ruleFile = JSON.parse(await readFile(file, 'utf8'));
      ruleFile.rules.find((rule: { name: string }) => rule.name === 'cheap-model').event.params.actions.at(-1).model = 'gpt-4o';
      await writeFile(file, `${JSON.stringify(ruleFile, null, 2)}\n`);
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('a product owner opens a policy whose rule file was edited by hand', () => {
  it('sees a banner saying the live rules differ from the graph, and it goes once the graph is published', async () => {
    const { page } = stack;
    const banner = page.getByTestId('drift-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('rule "cheap-model" was changed');
    await expect.poll(() => page.locator('.policy-item.current .pill').allTextContents()).toContain('drifted');
    await screenshot(page, 'drift-banner');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.getByRole('dialog', { name: /^Publish / }).getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Published');
    await expect.poll(() => banner.count()).toBe(0);
  });
});
