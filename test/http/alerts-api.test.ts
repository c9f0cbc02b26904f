import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsResponseSchema } from '../../shared/alerts-api.js';
import { HOUR_MS } from '../../server/ledger/usage-rollups.js';
import { ledgerRecord } from '../ledger/record-fixture.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { hello, startHarness, type Harness } from './harness.js';

const ADMIN = 'admin-token-for-alerts-0123456789';
const VIEWER = 'viewer-token-for-alerts-0123456789';
let hook: WebhookReceiver;
let h: Harness;

beforeAll(async () => {
  hook = await webhookReceiver();
  h = await startHarness({ TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_VIEWER_TOKEN: VIEWER, TOLLGATE_ALERT_WEBHOOK: hook.url }, { anomalyCheckMs: 0 });
});
afterAll(async () => {
  await h.close();
  await hook.close();
});

const alerts = (headers: Record<string, string> = {}) => fetch(`${h.url}/api/alerts`, { headers });

describe('GET /api/alerts', () => {
  it('answers 401 without the token, and lists a real budget alert and an anomaly alert, newest first, to a viewer', async () => {
    const none = await alerts();
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized', field: 'authorization' } });
    expect((await alerts({ authorization: `Bearer ${VIEWER}x` })).status).toBe(401);

    const override = await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=ads')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ day: 0.002 }),
    });
    expect(override.status).toBe(200);
    // Requests of about $0.00024 until the booked spend passes 80% of the $0.002 limit.
    for (let i = 0; i < 40 && !h.server.runtime.alertFeed.list().some((a) => a.kind === 'budget'); i++) {
      await h.client.chat.completions.create({ ...hello('gpt-4o'), max_tokens: 20 }, { headers: { 'x-tollgate-policy': 'budget-guard', 'x-tollgate-tags': 'team=ads' } }).catch(() => null);
    }

    const rt = h.server.runtime;
    const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    let n = 0;
    for (let back = 6; back >= 0; back--) {
      for (let i = 0; i < (back === 0 ? 10 : 1); i++) {
        rt.state.record(ledgerRecord({ id: `seeded-${++n}`, time: new Date(hour - back * HOUR_MS + i * 1000).toISOString(), policy: 'cost-router', tags: { team: 'search' }, costUsd: 0.1 }), () => {});
      }
    }
    expect((await rt.checkAnomalies(hour + 60_000)).map((a) => a.scope)).toContain('team=search');
    await expect.poll(async () => AlertsResponseSchema.parse(await (await alerts({ authorization: `Bearer ${VIEWER}` })).json()).alerts.every((a) => a.status === 'delivered')).toBe(true);

    const response = await alerts({ authorization: `Bearer ${VIEWER}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = AlertsResponseSchema.parse(await response.json());
    const kinds = body.alerts.map((a) => a.kind);
    expect(kinds.at(-1)).toBe('budget');
    expect(kinds.slice(0, -1).every((k) => k === 'anomaly')).toBe(true);
    expect(body.alerts.at(-1)).toMatchObject({ scope: expect.stringMatching(/^budget-guard tag:team=ads day (80|100)%$/), status: 'delivered', tries: 1 });
    expect(body.alerts.at(-1)!.series).toBeUndefined();
    expect(body.alerts.find((a) => a.scope === 'team=search')).toMatchObject({ series: { groupBy: 'team', key: 'search', bucket: new Date(hour).toISOString() } });
    const times = body.alerts.map((a) => Date.parse(a.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(JSON.stringify(body)).not.toContain(hook.url);
  });
});
