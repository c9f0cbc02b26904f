import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../server/ledger/usage-rollups.js';
import type { Runtime } from '../../server/runtime/runtime.js';
import { startHarness, type Harness } from '../http/harness.js';
import { ledgerRecord } from '../ledger/record-fixture.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const H = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
let n = 0;

/** Books records through the runtime's real path (ledger line, spend, rollups), at times the test chooses. */
function book(rt: Runtime, options: { at: number; team: string; model: string; usd: number; count?: number }): void {
  for (let i = 0; i < (options.count ?? 1); i++) {
    const record = ledgerRecord({
      id: `req-${++n}`,
      time: new Date(options.at + i * 1000).toISOString(),
      policy: 'budget-guard',
      tags: { team: options.team },
      servedModel: options.model,
      requestedModel: options.model,
      costUsd: options.usd,
    });
    rt.state.record(record, () => {});
  }
}

/** Six quiet hours for both teams (search on gpt-4o-mini, ads on gpt-4o), then search spends ten times as much in hour H. */
function baselineThenSpike(rt: Runtime, spikeHour = H): void {
  for (let h = 6; h >= 1; h--) {
    book(rt, { at: spikeHour - h * HOUR_MS + 60_000, team: 'search', model: 'gpt-4o-mini', usd: 0.1 });
    book(rt, { at: spikeHour - h * HOUR_MS + 120_000, team: 'ads', model: 'gpt-4o', usd: 0.1 });
  }
  book(rt, { at: spikeHour + 60_000, team: 'ads', model: 'gpt-4o', usd: 0.1 });
  book(rt, { at: spikeHour + 120_000, team: 'search', model: 'gpt-4o-mini', usd: 0.1, count: 10 });
}

describe('spend-anomaly alerts over booked records', () => {
  let hook: WebhookReceiver;
  let h: Harness;
  beforeAll(async () => {
    hook = await webhookReceiver();
    h = await startHarness({ TOLLGATE_ALERT_WEBHOOK: hook.url }, { anomalyCheckMs: 0 });
  });
  afterAll(async () => {
    await h.close();
    await hook.close();
  });

  it('posts one anomaly alert per spiking team, model and policy, none for the steady team, and only once per hour', async () => {
    const rt = h.server.runtime;
    baselineThenSpike(rt);
    const raised = await rt.checkAnomalies(H + 30 * 60_000);
    expect(raised.map((a) => a.scope).sort()).toEqual(['model=gpt-4o-mini', 'policy=budget-guard', 'team=search']);
    const team = raised.find((a) => a.scope === 'team=search')!;
    expect(team).toMatchObject({ kind: 'anomaly', series: { groupBy: 'team', key: 'search', bucket: new Date(H).toISOString(), valueMicros: 1_000_000, baselineMicros: 100_000 } });
    await expect.poll(() => hook.bodies.length).toBe(3);
    expect(hook.bodies.map((b) => b.text)).toContainEqual(expect.stringMatching(/^Tollgate anomaly alert \(team=search\): team=search spent \$1\.00 in the hour from .* above its baseline of \$0\.10 an hour$/));
    await expect.poll(() => rt.alertFeed.list().map((a) => a.status)).toEqual(['delivered', 'delivered', 'delivered']);

    // The next checks in the same hour, and the first of the next hour, see the same spike: no repeat.
    expect(await rt.checkAnomalies(H + 35 * 60_000)).toEqual([]);
    expect(await rt.checkAnomalies(H + HOUR_MS + 5 * 60_000)).toEqual([]);
    expect(hook.bodies).toHaveLength(3);
  });

  it('a new spike of the same team in a later hour alerts again', async () => {
    const rt = h.server.runtime;
    const later = H + 8 * HOUR_MS;
    baselineThenSpike(rt, later);
    expect((await rt.checkAnomalies(later + 10 * 60_000)).map((a) => a.scope)).toContain('team=search');
  });
});

describe('the anomaly timer', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('checks on its own every TOLLGATE_ANOMALY_CHECK_MS and lists what it raised', async () => {
    const hook = await webhookReceiver();
    closers.push(hook.close);
    const h = await startHarness({ TOLLGATE_ALERT_WEBHOOK: hook.url }, { anomalyCheckMs: 50 });
    closers.unshift(h.close);
    baselineThenSpike(h.server.runtime, Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    await expect.poll(() => h.server.runtime.alertFeed.list().filter((a) => a.kind === 'anomaly' && a.status === 'delivered').length).toBe(3);
    expect(hook.bodies.map((b) => b.text.split(':')[0]).sort()).toEqual([
      'Tollgate anomaly alert (model=gpt-4o-mini)',
      'Tollgate anomaly alert (policy=budget-guard)',
      'Tollgate anomaly alert (team=search)',
    ]);
  });
});
