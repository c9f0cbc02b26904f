import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect, inject } from 'vitest';
import { startServer } from '../../server/app.js';
import { configFromEnv, type AppConfig } from '../../server/config.js';
import { copyExampleRules } from '../support/example-rules.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

/** Builds the editor exactly as `npm run build` does, into a folder of the e2e run's own (not dist/, which a developer may be serving). */
export async function buildEditor(outDir: string): Promise<void> {
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
}

export interface Stack {
  url: string;
  rulesDir: string;
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Runtime environment (TOLLGATE_ADMIN_TOKEN...); provider keys stay unset either way. */
  env?: Record<string, string>;
  /** Changes the copy of rules/ before the runtime loads it. */
  prepareRules?: (rulesDir: string) => Promise<void>;
  /** Runtime settings over the story defaults (gitCommit...). */
  config?: Partial<AppConfig>;
  /** The browser window; 1440x900 unless given. */
  viewport?: { width: number; height: number };
}

/** The real runtime on a loopback port with a copy of rules/ (changed first by `prepareRules`, if given), and a headless Chromium (1440x900 unless `viewport` says) with the editor open. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'tollgate-e2e-'));
  const rulesDir = path.join(tmp, 'rules');
  const editorDir = inject('editorDir');
  await mkdir(rulesDir);
  await copyExampleRules(rulesDir);
  await options.prepareRules?.(rulesDir);
  const config = configFromEnv({}, { rulesDir, dataDir: path.join(tmp, 'data'), editorDir, logLevel: 'silent', watchRules: false, ledgerFsyncMs: 0, ...options.config });
  // No provider keys in env: the simulator provider answers every model, offline.
  const server = await startServer(config, { host: '127.0.0.1', port: 0 }, { env: options.env ?? {} });
  const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: inject('chromiumPath'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Discarding unsaved work and rolling back ask first; the stories always mean yes.
  page.on('dialog', (d) => void d.accept());
  // Fail a step with playwright's own message well before vitest's 30 s test timeout.
  page.setDefaultTimeout(8000);
  await page.goto(server.url);
  // The canvas, or the admin-token dialog that comes before it when a token is set.
  await page.locator('.react-flow__node, dialog[open]').first().waitFor();
  return {
    url: server.url,
    rulesDir,
    page,
    context,
    close: async () => {
      await context.close();
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let the highlight and fade transitions finish, so the picture shows the settled screen.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Drags from one element's centre to another's, with intermediate moves so React Flow sees a real drag. */
export async function dragBetween(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

export async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Connects an output handle to a node's input handle by dragging, as a user does. */
export async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  await dragBetween(page, await centre(page, `[data-testid="handle-${source}-${handle}"]`), await centre(page, `[data-testid="node-${target}"] .handle-in`));
}

/** Drops a palette entry onto the canvas at a point (HTML5 drag and drop). */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }): Promise<void> {
  await page.getByTestId(`palette-${kind}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: at });
}

/** Waits until the canvas stops moving (fit view and auto-layout animate the viewport). */
export async function settle(page: Page): Promise<void> {
  const transform = () => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  let last = await transform();
  for (let i = 0; i < 50; i += 1) {
    await page.waitForTimeout(100);
    const now = await transform();
    if (now === last) return;
    last = now;
  }
}

/** Zooms in (the canvas's own + button) until nodes draw every detail: a wide policy opens as an overview. */
export async function zoomToDetail(page: Page): Promise<void> {
  const canvas = page.getByTestId('canvas');
  for (let i = 0; i < 8 && (await canvas.getAttribute('data-detail')) !== 'full'; i++) {
    await page.locator('.react-flow__controls-zoomin').click();
    await settle(page);
  }
  expect(await canvas.getAttribute('data-detail')).toBe('full');
}

/**
 * Presses a key and holds it until `seen` has passed. React Flow acts on its delete key from an
 * effect of "is it pressed"; a press whose down and up land in one render on a loaded machine is
 * never seen as pressed. A person's key press lasts tens of milliseconds; this one lasts until it worked.
 */
export async function holdKey(page: Page, key: string, seen: () => Promise<void>): Promise<void> {
  await page.keyboard.down(key);
  try {
    await seen();
  } finally {
    await page.keyboard.up(key);
  }
}

export const nodeCount = (page: Page) => page.locator('.react-flow__node').count();

/** What does not fit the window: the page itself, a side-panel tab cut off inside its strip, or the policy's name cut short in the top bar. */
export async function overflowsWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const over: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) over.push(`page ${document.documentElement.scrollWidth} px wide`);
    const strip = document.querySelector('.tabs')!.getBoundingClientRect();
    for (const tab of document.querySelectorAll('[role="tab"]')) if (tab.getBoundingClientRect().right > strip.right) over.push(`tab ${tab.textContent}`);
    const name = document.querySelector('[data-testid="policy-name"]')!;
    if (name.scrollWidth > name.clientWidth) over.push(`policy name cut to ${name.clientWidth} of ${name.scrollWidth} px`);
    return over;
  });
}

/** The ids of the nodes not wholly inside the canvas box, as the owner sees it on screen. */
export async function nodesOffCanvas(page: Page): Promise<string[]> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('the canvas is not visible');
  const boxes = await page.locator('.policy-node').evaluateAll((els) => els.map((el) => ({ id: (el as HTMLElement).dataset.testid ?? '', ...el.getBoundingClientRect().toJSON() }) as { id: string } & DOMRect));
  return boxes
    .filter((b) => b.left < canvas.x || b.right > canvas.x + canvas.width || b.top < canvas.y || b.bottom > canvas.y + canvas.height)
    .map((b) => b.id.replace(/^node-/, ''));
}

/**
 * Clicks a node as a user does: one that is partly outside the canvas is first panned into it by
 * dragging the empty canvas. Clicking it where it stands would let the browser scroll the canvas
 * to reveal it, React Flow scroll it straight back, and the click land on the pane in between.
 */
export async function clickNode(page: Page, id: string): Promise<void> {
  const node = page.getByTestId(`node-${id}`);
  const wrapper = page.locator('.react-flow__node', { has: node });
  const canvas = await page.locator('.react-flow').boundingBox();
  if (!canvas) throw new Error('the canvas is not visible');
  const margin = 24;
  /** How far to move something spanning [start, start + size) to sit inside [lo, hi]. */
  const shift = (start: number, size: number, lo: number, hi: number) => (start < lo ? lo - start : start + size > hi ? hi - (start + size) : 0);
  for (let pan = 0; ; pan += 1) {
    const box = await wrapper.boundingBox();
    if (!box) throw new Error(`node ${id} is not on the canvas`);
    const dx = shift(box.x, box.width, canvas.x + margin, canvas.x + canvas.width - margin);
    const dy = shift(box.y, box.height, canvas.y + margin, canvas.y + canvas.height - margin);
    if (dx === 0 && dy === 0) break;
    if (pan === 4) throw new Error(`node ${id} could not be panned into the canvas`);
    // From the empty strip along the canvas's top, starting at the side it moves away from; at most a canvas width at a time.
    const reach = canvas.width - 2 * margin - 60;
    const stepX = Math.max(-reach, Math.min(reach, dx));
    const from = { x: stepX < 0 ? canvas.x + canvas.width - margin - 30 : canvas.x + margin + 30, y: canvas.y + 12 };
    await dragBetween(page, from, { x: from.x + stepX, y: Math.max(1, from.y + dy) });
  }
  await node.click();
}
