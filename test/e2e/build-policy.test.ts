import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clickNode, connect, dropFromPalette, nodeCount, screenshot, settle, startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** Publish asks what changed and who publishes; the stories leave both as they are. */
async function publish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('dialog', { name: /^Publish / }).getByRole('button', { name: 'Publish', exact: true }).click();
}

async function chat(tier: string): Promise<Response> {
  return fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'support-bot', 'x-tollgate-tier': tier },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Where is my parcel?' }] }),
  });
}

describe('a product owner builds a policy on a blank canvas', () => {
  it('opens on the default policy with the list of policies at hand', async () => {
    const { page } = stack;
    await expect.poll(() => page.getByTestId('policy-name').textContent()).toBe('Cost router');
    await expect.poll(() => page.getByRole('navigation', { name: 'Policies' }).getByRole('button').count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('node-route-cheap').waitFor();
    await screenshot(page, 'editor-default-policy');
  });

  it('simulates a preset against the default policy and saves a preset of its own', async () => {
    const { page } = stack;
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await page.getByLabel('Preset', { exact: true }).selectOption('Long legal analysis, premium tier (team legal)');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-rule').textContent()).toBe('premium-model');
    await expect.poll(() => page.locator('.react-flow__edge.on-path').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'editor-cost-router-simulation');

    await page.getByLabel('Preset name').fill('Legal, long answer');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await expect.poll(() => page.getByLabel('Preset', { exact: true }).locator('option').allTextContents()).toContain('Legal, long answer');
  });

  it('starts a blank policy, drags nodes from the palette and connects their handles', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New policy' });
    await dialog.getByText('Blank', { exact: true }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Support bot');
    await expect.poll(() => dialog.getByLabel('Policy id').inputValue()).toBe('support-bot');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => nodeCount(page)).toBe(1);

    await dropFromPalette(page, 'condition', { x: 620, y: 120 });
    await dropFromPalette(page, 'route', { x: 640, y: 330 });
    await dropFromPalette(page, 'route', { x: 640, y: 540 });
    await expect.poll(() => nodeCount(page)).toBe(4);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await settle(page);

    await connect(page, 'request', 'next', 'condition-1');
    await connect(page, 'condition-1', 'true', 'route-1');
    await connect(page, 'condition-1', 'false', 'route-2');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('no errors');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await settle(page);
  });

  it('enforces the connection rules while dragging: onError only into a Route, no loops', async () => {
    const { page } = stack;
    const edges = () => page.locator('.react-flow__edge').count();
    await connect(page, 'route-1', 'onError', 'condition-1');
    await expect.poll(edges).toBe(3);
    await connect(page, 'route-2', 'onError', 'route-1');
    await expect.poll(edges).toBe(4);
    await connect(page, 'route-1', 'onError', 'route-2');
    await expect.poll(edges).toBe(4);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(edges).toBe(3);
  });

  it('sets params in the inspector, shows a validation error on the node and field, and clears it when fixed', async () => {
    const { page } = stack;
    await clickNode(page, 'condition-1');
    await page.getByLabel('Test 1 fact').selectOption('tier');
    await page.getByLabel('Test 1 value').fill('premium');
    await expect.poll(() => page.getByTestId('node-summary-condition-1').textContent()).toBe('tier = premium');

    await clickNode(page, 'route-1');
    await page.getByLabel('Label', { exact: true }).fill('Premium model');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-4o');
    await page.getByLabel('Timeout (ms)').fill('50');
    await page.getByText('at least 100 ms').first().waitFor();
    await expect.poll(() => page.getByTestId('node-problems-route-1').textContent()).toBe('1');
    await expect.poll(() => page.getByRole('button', { name: 'Publish' }).isDisabled()).toBe(true);
    await screenshot(page, 'editor-validation-error');
    await clickNode(page, 'condition-1');
    await page.getByTestId('problems').getByRole('button', { name: /TG007/ }).click();
    await expect.poll(() => page.getByLabel('Label', { exact: true }).inputValue()).toBe('Premium model');

    await page.getByLabel('Timeout (ms)').fill('20000');
    await expect.poll(() => page.getByTestId('node-problems-route-1').count()).toBe(0);
    await expect.poll(() => page.getByTestId('node-summary-route-1').textContent()).toBe('route: gpt-4o, timeout 20 s, 1 retry');

    await clickNode(page, 'route-2');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-4o-mini');
    await page.getByLabel('Retries').fill('2');
    await expect.poll(() => page.getByTestId('node-summary-route-2').textContent()).toBe('route: gpt-4o-mini, timeout 30 s, 2 retries');
  });

  it('simulates a request and lights up the path it takes', async () => {
    const { page } = stack;
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await page.getByLabel('Tier').selectOption('premium');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-rule').textContent()).toBe('premium-model');
    await expect.poll(() => page.getByTestId('decision-model').textContent()).toBe('gpt-4o');
    await expect.poll(() => page.getByTestId('node-route-1').getAttribute('class')).toContain('on-path');
    await expect.poll(() => page.getByTestId('node-route-2').getAttribute('class')).toContain('off-path');
    await expect.poll(() => page.locator('.react-flow__edge.on-path').count()).toBe(2);
    await screenshot(page, 'editor-simulation');
  });

  it('publishes, after which /v1/chat/completions follows the new policy', async () => {
    const { page } = stack;
    await publish(page);
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('as version');
    await expect.poll(() => page.getByTestId('policy-status').textContent()).toMatch(/^published v\d+$/);

    const premium = await chat('premium');
    expect(premium.status).toBe(200);
    expect(premium.headers.get('x-tollgate-rule')).toBe('premium-model');
    expect(premium.headers.get('x-tollgate-model')).toBe('gpt-4o');
    const standard = await chat('standard');
    expect(standard.headers.get('x-tollgate-rule')).toBe('route');
    expect(standard.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
  });
});

describe('a product owner compares versions and rolls back', () => {
  it('publishes a change, shows the diff of the two versions, and rolls back to the first', async () => {
    const { page } = stack;
    await clickNode(page, 'route-2');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-4.1-mini');
    await publish(page);
    await expect.poll(async () => (await chat('standard')).headers.get('x-tollgate-model')).toBe('gpt-4.1-mini');

    await page.getByRole('tab', { name: 'Versions' }).click();
    await expect.poll(() => page.getByTestId('version-list').getByRole('listitem').count()).toBe(2);
    const diff = page.getByTestId('version-diff');
    await expect.poll(() => diff.textContent()).toContain('"gpt-4o-mini" → "gpt-4.1-mini"');
    await expect.poll(() => diff.textContent()).toContain('~ rule route: actions');
    await screenshot(page, 'editor-versions-diff');

    await page.getByTestId('version-list').getByRole('button', { name: 'Roll back' }).last().click();
    await page.getByRole('dialog', { name: /^Roll back to v\d+\?$/ }).getByRole('button', { name: /^Publish v\d+ again$/ }).click();
    await expect.poll(() => page.getByTestId('version-list').getByRole('listitem').count()).toBe(3);
    await expect.poll(async () => (await chat('standard')).headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    await expect.poll(() => page.getByTestId('node-summary-route-2').textContent()).toContain('gpt-4o-mini');
  });
});
