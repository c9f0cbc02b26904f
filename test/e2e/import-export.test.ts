import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleFileSchema } from '../../shared/rule-file.js';
import { clickNode, holdKey, nodeCount, screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function download(page: Page): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  const where = await file.path();
  return readFile(where, 'utf8');
}

describe('a product owner exports a policy and imports it back', () => {
  it('downloads the rule JSON of the policy on the canvas, the same file the runtime serves', async () => {
    const { page, rulesDir } = stack;
    await page.getByTestId('node-route-cheap').waitFor();
    const exported = await download(page);
    expect(exported).toBe(await readFile(path.join(rulesDir, 'cost-router.json'), 'utf8'));
  });

  it('restores the exact graph when the exported file is imported after edits', async () => {
    const { page } = stack;
    const exported = await download(page);
    const before = await nodeCount(page);

    await clickNode(page, 'trim');
    await holdKey(page, 'Delete', () => expect.poll(() => nodeCount(page)).toBe(before - 1));
    await expect.poll(() => page.getByTestId('policy-status').textContent()).toBe('unsaved changes');

    await page.getByTestId('import-input').setInputFiles({ name: 'cost-router.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await expect.poll(() => nodeCount(page)).toBe(before);
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Imported Cost router');

    const reexported = await download(page);
    expect(RuleFileSchema.parse(JSON.parse(reexported)).graph).toEqual(RuleFileSchema.parse(JSON.parse(exported)).graph);
    expect(reexported).toBe(exported);
  });

  it('refuses a bad file with a clear message and changes nothing', async () => {
    const { page } = stack;
    const before = await nodeCount(page);
    const name = await page.getByTestId('policy-name').textContent();

    await page.getByTestId('import-input').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"rules": "nope"}') });
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/Could not import notes\.json: .+ Nothing changed\./);
    await page.getByTestId('import-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{not json') });
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('broken.json is not JSON');

    expect(await nodeCount(page)).toBe(before);
    expect(await page.getByTestId('policy-name').textContent()).toBe(name);
    await screenshot(page, 'editor-import-refused');
  });
});

describe('a product owner keeps a draft', () => {
  it('saves a draft that is not live, and finds it again after a reload', async () => {
    const { page, url } = stack;
    await clickNode(page, 'route-cheap');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-4.1-nano');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Draft saved');
    await expect.poll(() => page.getByTestId('policy-status').textContent()).not.toBe('unsaved changes');
    await expect.poll(() => page.getByRole('navigation', { name: 'Policies' }).getByText('draft').count()).toBe(1);

    const live = await fetch(`${url}/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'cost-router' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(((await live.json()) as { model: string }).model).toBe('gpt-4o-mini');

    await page.reload();
    await expect.poll(() => page.getByTestId('node-summary-route-cheap').textContent()).toContain('gpt-4.1-nano');
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('unpublished draft');
  });
});
