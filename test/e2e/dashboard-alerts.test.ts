import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageLedger } from '../../server/ledger/usage-ledger.js';
import { HOUR_MS } from '../../server/ledger/usage-rollups.js';
import { ledgerRecord } from '../ledger/record-fixture.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { screenshot, startStack, type Stack } from './harness.js';

let stack: Stack;
let hook: WebhookReceiver;
let dataDir: string;

/**
 * Six quiet hours for two teams, then search spends ten times its usual in the current hour,
 * written through the real ledger before the runtime starts: it rebuilds its rollups from it.
 */
async function writeLedger(dir: string): Promise<void> {
  const ledger = new UsageLedger(path.join(dir, 'ledger'));
  const spikeAt = Date.now() - 30_000;
  const hour = Math.floor(spikeAt / HOUR_MS) * HOUR_MS;
  let n = 0;
  const book = (at: number, team: string, model: string) =>
    ledger.append(ledgerRecord({ id: `seeded-${++n}`, time: new Date(at).toISOString(), policy: 'budget-guard', tags: { team }, servedModel: model, requestedModel: model, costUsd: 0.1 }));
  for (let h = 6; h >= 1; h--) {
    book(hour - h * HOUR_MS + 60_000, 'search', 'gpt-4o-mini');
    book(hour - h * HOUR_MS + 120_000, 'ads', 'gpt-4o');
  }
  book(Math.max(hour, spikeAt - 20_000), 'ads', 'gpt-4o');
  for (let i = 0; i < 10; i++) book(Math.max(hour, spikeAt - 10_000) + i, 'search', 'gpt-4o-mini');
  ledger.close();
}

beforeAll(async () => {
  // The receiver refuses the model alert every time, so the list shows a failed delivery beside delivered ones.
  hook = await webhookReceiver((text) => (text.includes('(model=') ? 500 : 200));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-e2e-alerts-'));
  await writeLedger(dataDir);
  stack = await startStack({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url }, config: { dataDir, anomalyCheckMs: 200 } });
});
afterAll(async () => {
  await stack?.close();
  await hook?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a FinOps engineer sees why spend jumped', () => {
  it('reads the anomaly alerts with their delivery status, and shows one on the chart', async () => {
    const { page } = stack;
    await page.goto(`${stack.url}/dashboard?range=24h&groupBy=model`);
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    // Raised in one check (team, then model, then policy), listed newest first.
    await expect
      .poll(() => rows.locator('td:nth-child(2)').allTextContents())
      .toEqual(['policy=budget-guard', 'model=gpt-4o-mini', 'team=search']);
    await expect.poll(() => rows.locator('td:last-child').allTextContents(), { timeout: 10_000 }).toEqual(['delivered (1 try)', 'failed (4 tries)', 'delivered (1 try)']);
    expect(await rows.nth(2).locator('.alert-text').textContent()).toMatch(/^team=search spent \$1\.00 in the hour from .* UTC, .*σ above its baseline of \$0\.10 an hour/);
    expect(await rows.first().locator('td:first-child').textContent()).toBe('anomaly');

    // Grouped by model, the chart marks the model's alert only.
    await expect.poll(() => page.locator('[data-testid="spend-chart"] .alert-mark').count()).toBe(1);
    expect(await page.getByTestId('spend-chart').locator('svg text').filter({ hasText: '⚠' }).allTextContents()).toEqual(['⚠ gpt-4o-mini']);

    await rows.nth(2).getByRole('button', { name: 'Show on chart' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('groupBy')).toBe('team');
    await expect.poll(() => page.locator('[data-testid="spend-chart"] .alert-mark.focused').count()).toBe(1);
    expect(await page.getByTestId('spend-chart').locator('svg text').filter({ hasText: '⚠' }).allTextContents()).toEqual(['⚠ search']);
    expect(await rows.nth(2).getAttribute('class')).toBe('focused');
    await screenshot(page, 'dashboard-alerts');
    expect(hook.bodies.filter((b) => b.text.includes('(model=')).length).toBe(4);
  });
});
