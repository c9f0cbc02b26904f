import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickNode, nodeCount, nodesOffCanvas, screenshot, settle, startStack, type Stack } from './harness.js';

let stack: Stack;
const git = (...args: string[]) => execFileSync('git', args, { cwd: stack.rulesDir, encoding: 'utf8' }).trim();

beforeAll(async () => {
  stack = await startStack({ config: { gitCommit: true } });
  // The rules folder is a git work tree, as in a real deployment that keeps policies in git.
  git('init', '--quiet');
  git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'add', '.');
  git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'commit', '--quiet', '-m', 'example rules');
});
afterAll(async () => {
  await stack?.close();
});

/** Every click, choice or fill a product owner makes while building, so the story can say how many it took. */
let actions = 0;
async function act(step: () => Promise<unknown>): Promise<void> {
  actions += 1;
  await step();
}

/** The "+" beside an output, then a kind from its picker (a route's onError needs no picking: it adds a Route). */
async function addAfter(page: Page, node: string, output: string, kind?: string): Promise<void> {
  await act(() => page.getByTestId(`add-after-${node}-${output}`).click());
  if (kind) await act(() => page.getByTestId('node-picker').getByRole('button', { name: kind, exact: true }).click());
}

async function chat(tags: string): Promise<Response> {
  return fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'research-budget', 'x-tollgate-tags': tags },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise this paper.' }] }),
  });
}

describe('a product owner builds the policy from issue 13 with the "+" picker and the inspector', () => {
  it('opens whole and readable: every node of the default policy on screen, each title at 11 px or more', async () => {
    const { page } = stack;
    await settle(page);
    expect(await page.locator('.policy-node').count()).toBe(11);
    expect(await nodesOffCanvas(page)).toEqual([]);
    // Zoomed out to fit, the nodes draw as an overview whose titles are sized against the zoom.
    await expect.poll(() => page.getByTestId('canvas').getAttribute('data-detail')).toBe('overview');
    const zoom = await page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    const onScreen = await page.locator('.policy-node-label').evaluateAll((els, z) => els.map((el) => parseFloat(getComputedStyle(el).fontSize) * z), zoom);
    expect(Math.min(...onScreen)).toBeGreaterThanOrEqual(11);
    expect(await page.getByTestId('node-summary-route-premium').isVisible()).toBe(false);
    // Zoomed in, every detail is back.
    for (let i = 0; i < 5; i++) await page.locator('.react-flow__controls-zoomin').click();
    await expect.poll(() => page.getByTestId('canvas').getAttribute('data-detail')).toBe('full');
    await expect.poll(() => page.getByTestId('node-summary-route-premium').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('no errors');
  });

  it('never flashes problems of a graph that has not loaded yet', async () => {
    const { page } = stack;
    // Every text the problem count ever shows, from the first paint on.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { problemTexts: string[] }).problemTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="problem-count"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    await settle(page);
    const seen = await page.evaluate(() => (window as unknown as { problemTexts: string[] }).problemTexts);
    expect(seen).toEqual(['no errors']);
  });

  it('builds "research → mini; over 80% of $5 a day → cache only; else gpt-4o with a Claude fallback; exact cache in front" in at most 20 actions', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'New policy' });
    await dialog.getByText('Blank', { exact: true }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Research budget');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => nodeCount(page)).toBe(1);
    actions = 0;

    await addAfter(page, 'request', 'next', 'Cache');
    await addAfter(page, 'cache-1', 'next', 'Budget');
    await act(() => page.getByLabel('Limit (USD)').fill('5'));
    await act(() => page.getByLabel('Over at (% of limit)').fill('80'));
    await expect.poll(() => page.getByTestId('node-explain').textContent()).toBe("Each team's own daily budget of $5: requests take “over” once $4 (80%) is spent.");
    await addAfter(page, 'budget-1', 'over', 'Degrade');
    await act(() => page.getByLabel('Mode', { exact: true }).selectOption('cacheOnly'));
    await addAfter(page, 'budget-1', 'ok', 'Condition');
    await act(() => page.getByLabel('Test 1 fact').selectOption('tags'));
    await act(() => page.getByLabel('Test 1 value').fill('research'));
    await addAfter(page, 'condition-1', 'true', 'Route');
    await addAfter(page, 'condition-1', 'false', 'Route');
    await act(() => page.getByLabel('Model', { exact: true }).selectOption('gpt-4o'));
    await addAfter(page, 'route-2', 'onError');
    await act(() => page.getByLabel('Model', { exact: true }).selectOption('claude-3-5-haiku-20241022'));

    expect(actions).toBeLessThanOrEqual(20);
    console.log(`issue 13 example policy built from a blank canvas in ${actions} actions`);
    await expect.poll(() => nodeCount(page)).toBe(8);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(7);
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('no errors');
    await expect.poll(() => page.getByTestId('node-summary-condition-1').textContent()).toBe('team = research');
    await expect.poll(() => page.getByTestId('node-summary-degrade-1').textContent()).toBe('cache only, else 429');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await settle(page);
    await screenshot(page, 'editor-built-with-plus-picker');
    // Below the readable zoom on purpose, so every node is on screen for the next story's drag.
    await page.locator('.react-flow__controls-fitview').click();
    await settle(page);
  });

  it('says why a drop is refused', async () => {
    const { page } = stack;
    const from = await page.getByTestId('handle-route-3-onError').boundingBox();
    const to = await page.getByTestId('node-condition-1').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.canvas-toast').textContent()).toBe("Can't connect: onError leads only to another Route.");
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(7);
  });
});

describe('fields that fit the mode', () => {
  it('shows a cache’s wrong-hit bound only in semantic mode', async () => {
    const { page } = stack;
    await clickNode(page, 'cache-1');
    await expect.poll(() => page.getByLabel('Max wrong hits (share, 0.02 = 2%)').count()).toBe(0);
    await page.getByLabel('Mode', { exact: true }).selectOption('semantic');
    await expect.poll(() => page.getByLabel('Max wrong hits (share, 0.02 = 2%)').count()).toBe(1);
    await page.getByLabel('Mode', { exact: true }).selectOption('exact');
  });

  it('hides model and provider of a cache-only degrade and tells the caller the truth', async () => {
    const { page } = stack;
    await clickNode(page, 'degrade-1');
    await expect.poll(() => page.getByLabel('Model', { exact: true }).count()).toBe(0);
    await expect.poll(() => page.getByLabel('Provider', { exact: true }).count()).toBe(0);
    await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toContain('only answers already in the cache');
    await page.getByLabel('Mode', { exact: true }).selectOption('model');
    await expect.poll(() => page.getByLabel('Model', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByLabel('Message', { exact: true }).count()).toBe(0);
    await page.getByLabel('Mode', { exact: true }).selectOption('cacheOnly');
  });

  it('picks a budget scope from a list, with a sentence saying what it means', async () => {
    const { page } = stack;
    await clickNode(page, 'budget-1');
    await page.getByLabel('Scope', { exact: true }).selectOption('global');
    await expect.poll(() => page.getByTestId('node-explain').textContent()).toMatch(/^One shared daily budget of \$5/);
    await page.getByLabel('Scope', { exact: true }).selectOption('tag:team');
    await expect.poll(() => page.getByTestId('node-explain').textContent()).toMatch(/^Each team's own daily budget/);
  });

  it('refuses a condition test with an empty value', async () => {
    const { page } = stack;
    await clickNode(page, 'condition-1');
    await page.getByLabel('Test 1 value').fill('');
    await page.getByText('enter a value to compare with').first().waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Test 1 value').fill('research');
    await expect.poll(() => page.getByTestId('problem-count').textContent()).toBe('no errors');
  });
});

describe('names in the simulator and on the wire', () => {
  it('lists the path and rules by the labels the owner typed, in plain language', async () => {
    const { page } = stack;
    await clickNode(page, 'route-1');
    await page.getByLabel('Label', { exact: true }).fill('Research model');
    await page.getByRole('tab', { name: 'Simulate' }).click();
    await page.getByLabel('Tags', { exact: true }).fill('team=research');
    await page.getByLabel('Budget used (%)').fill('20');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-answer').textContent()).toBe('Research model');
    await expect.poll(() => page.getByTestId('decision-rule').textContent()).toBe('research-model');
    await expect.poll(() => page.getByTestId('decision-path').textContent()).toBe('Request → Cache → Budget → Condition → Research model');
    await expect.poll(() => page.getByTestId('trace').textContent()).toContain('team is research ✓');
    await expect.poll(() => page.getByTestId('decision-cost').textContent()).toMatch(/^\$\d+(\.\d{1,2}|\.0\d+)?$|^\$0\.\d{1,6}$/);
    await screenshot(page, 'editor-plain-simulator');

    await page.getByLabel('Budget used (%)').fill('85');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await expect.poll(() => page.getByTestId('decision-answer').textContent()).toBe('Degrade');
    await expect.poll(() => page.getByTestId('trace').textContent()).toContain('budget used 85% ≥ 80% ✓');
    await page.getByLabel('Raw trace').check();
    await expect.poll(() => page.getByTestId('trace').textContent()).toContain('budgetUsedPct');
  });

  it('simulates an embeddings call: texts one a line, an embedding model, no output tokens', async () => {
    const { page } = stack;
    await page.getByLabel('Request', { exact: true }).selectOption('embeddings');
    await expect.poll(() => page.getByLabel('Model asked for').inputValue()).toMatch(/embedding/);
    await expect.poll(() => page.getByLabel('Max tokens').count()).toBe(0);
    await page.getByLabel('Texts (one a line)').fill('How do I reset my password?\nWhere is my invoice?');
    await page.getByLabel('Budget used (%)').fill('20');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const model = await page.getByLabel('Model asked for').inputValue();
    await expect.poll(() => page.getByTestId('decision-model').textContent()).toBe(model);
    await expect.poll(() => page.getByTestId('decision-path').textContent()).toContain('Request');
    await page.getByLabel('Request', { exact: true }).selectOption('chat');
    await expect.poll(() => page.getByLabel('Model asked for').inputValue()).not.toMatch(/embedding/);
  });

  it('publishes with a message and a name, commits to git, and answers with the rule named by label', async () => {
    const { page } = stack;
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish Research budget' });
    await dialog.getByLabel('What changed').fill('Research on mini, cache only near the budget');
    await dialog.getByLabel('Your name').fill('Ana Lima');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Committed to git');
    await expect.poll(() => git('log', '-1', '--format=%an|%s')).toBe('Ana Lima|Research on mini, cache only near the budget');
    const research = await chat('team=research');
    expect(research.headers.get('x-tollgate-rule')).toBe('research-model');
    const other = await chat('team=search');
    expect(other.headers.get('x-tollgate-rule')).toBe('route');
    await expect.poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
  });

  it('shows author and message in Versions, saves a copy, and rolls back in an in-app dialog', async () => {
    const { page } = stack;
    await clickNode(page, 'route-2');
    await page.getByLabel('Label', { exact: true }).fill('Everyone else');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish Research budget' });
    await dialog.getByLabel('What changed').fill('Name the default route');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(async () => (await chat('team=search')).headers.get('x-tollgate-rule')).toBe('everyone-else');

    await page.getByRole('tab', { name: 'Versions' }).click();
    const list = page.getByTestId('version-list');
    await expect.poll(() => list.textContent()).toContain('Research on mini, cache only near the budget');
    await expect.poll(() => list.textContent()).toContain('Ana Lima');
    await screenshot(page, 'editor-versions-author-message');
    await list.getByRole('button', { name: 'Roll back' }).last().click();
    const confirm = page.getByRole('dialog', { name: 'Roll back to v1?' });
    await confirm.getByRole('button', { name: 'Publish v1 again' }).click();
    await expect.poll(async () => (await chat('team=search')).headers.get('x-tollgate-rule')).toBe('route');
    // The runtime goes live first and commits after, so the commit may land a moment later.
    await expect.poll(() => git('log', '-1', '--format=%s')).toBe('Roll back to v1');

    await page.getByRole('button', { name: 'Save as…' }).click();
    const saveAs = page.getByRole('dialog', { name: 'Save as a new policy' });
    // An id the rule file could not carry is refused in the dialog, not by the server after it.
    await saveAs.getByLabel('Policy id').fill('Research_EU');
    await expect.poll(() => saveAs.getByRole('alert').textContent()).toContain('lowercase letters');
    expect(await saveAs.getByRole('button', { name: 'Save copy' }).isDisabled()).toBe(true);
    await saveAs.getByLabel('Policy id').fill('research-budget-eu');
    expect(await saveAs.getByRole('alert').count()).toBe(0);
    await saveAs.getByLabel('Name', { exact: true }).fill('Research budget EU');
    await saveAs.getByRole('button', { name: 'Save copy' }).click();
    await expect.poll(() => page.getByTestId('policy-name').textContent()).toBe('Research budget EU');
    await expect.poll(() => page.getByRole('navigation', { name: 'Policies' }).textContent()).toContain('Research budget EU');
    await expect.poll(() => page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(false);
  });
});
