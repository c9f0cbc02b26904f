import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertFeed } from '../../server/alerts/alert-feed.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

let dir: string;
let hook: WebhookReceiver;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-alerts-'));
  hook = await webhookReceiver();
});
afterEach(async () => {
  await hook.close();
  await rm(dir, { recursive: true, force: true });
});

const day = Date.UTC(2026, 11, 3);
const alert = { kind: 'budget' as const, scope: 'cost-router tag:team=search day 80%', text: 'search has spent 81% of its day budget' };

describe('alert journal', () => {
  it('a restart keeps the list and does not post the same window again; the next window still alerts', async () => {
    const file = path.join(dir, 'alerts.json');
    const first = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url }, file, now: () => day + 3_600_000 });
    await first.raise(alert, { windowStart: day })!.delivered;
    await first.flush();

    const second = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url }, file, now: () => day + 7_200_000 });
    expect(second.list()).toMatchObject([{ ...alert, status: 'delivered', tries: 1 }]);
    expect(second.raise(alert, { windowStart: day })).toBeNull();
    const next = second.raise(alert, { windowStart: day + 86_400_000 });
    expect(next?.entry.id).not.toBe(second.list()[1]!.id);
    await next!.delivered;
    await second.flush();
    expect(hook.bodies).toHaveLength(2);
    expect(JSON.parse(await readFile(file, 'utf8')).alerts).toHaveLength(2);
  });

  it('a delivery cut short by the restart is listed as failed; a damaged file starts empty without throwing', async () => {
    const file = path.join(dir, 'alerts.json');
    const entry = { ...alert, id: 'alert-7', at: new Date(day).toISOString(), status: 'retrying', tries: 2 };
    await writeFile(file, JSON.stringify({ alerts: [entry], lastRaised: {}, lastWindow: {} }));
    const restored = new AlertFeed({ env: {}, file });
    expect(restored.list()).toMatchObject([{ id: 'alert-7', status: 'failed', tries: 2 }]);
    // New ids continue after the restored ones.
    expect(restored.raise({ ...alert, scope: 'other' })?.entry.id).toBe('alert-8');
    // Its write is under way; the folder is removed after the test.
    await restored.flush();

    await writeFile(file, '{"alerts": [');
    expect(new AlertFeed({ env: {}, file }).list()).toEqual([]);
  });
});
