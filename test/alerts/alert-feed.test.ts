import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertFeed } from '../../server/alerts/alert-feed.js';
import { breakerAlerts } from '../../server/alerts/breaker-alerts.js';
import { CircuitBreakers } from '../../server/runtime/circuit-breaker.js';

/** A real webhook receiver on 127.0.0.1: answers the statuses given in order, then 200. */
async function receiver(statuses: number[] = []): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

describe('alert feed', () => {
  it('posts one Slack-style alert for 50 parallel raises of the same kind and scope', async () => {
    const hook = await receiver();
    closers.push(hook.close);
    const feed = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url } });
    const raised = await Promise.all(Array.from({ length: 50 }, async () => feed.raise({ kind: 'budget', scope: 'team=search 80%', text: 'spend passed 80% of $10' })));
    const fired = raised.filter((r) => r !== null);
    expect(fired).toHaveLength(1);
    await fired[0]!.delivered;
    expect(hook.bodies).toEqual([{ text: 'Tollgate budget alert (team=search 80%): spend passed 80% of $10' }]);
    expect(feed.list()).toMatchObject([{ kind: 'budget', status: 'delivered', tries: 1 }]);
  });

  it('retries a receiver that answers 500 twice, then shows the alert delivered after 3 tries', async () => {
    const hook = await receiver([500, 500]);
    closers.push(hook.close);
    const feed = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url }, backoffMs: 5 });
    await feed.raise({ kind: 'breaker', scope: 'openai/gpt-4o', text: 'breaker opened' })!.delivered;
    expect(hook.bodies).toHaveLength(3);
    expect(feed.list()).toMatchObject([{ status: 'delivered', tries: 3 }]);
  });

  it('gives up after the bounded tries, and without a webhook keeps the alert as unsent', async () => {
    const hook = await receiver([500, 500, 500]);
    closers.push(hook.close);
    const feed = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url }, backoffMs: 5, tries: 3 });
    await feed.raise({ kind: 'anomaly', scope: 'team=ads', text: 'spend 5x baseline' })!.delivered;
    expect(feed.list()).toMatchObject([{ status: 'failed', tries: 3 }]);
    const quiet = new AlertFeed({ env: {} });
    await quiet.raise({ kind: 'anomaly', scope: 'team=ads', text: 'x' })!.delivered;
    expect(quiet.list()).toMatchObject([{ status: 'unsent', tries: 0 }]);
    expect(JSON.stringify(feed.list())).not.toContain(hook.url);
  });
});

describe('breaker alerts', () => {
  it('a breaker opening posts one breaker alert and still tells the next listener', async () => {
    const hook = await receiver();
    closers.push(hook.close);
    const feed = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: hook.url } });
    const told: string[] = [];
    const breakers = new CircuitBreakers({ failures: 2, windowMs: 60_000, openMs: 60_000, onTransition: breakerAlerts(feed, (_k, state) => told.push(state)) });
    const key = { provider: 'openai', model: 'gpt-4o' };
    breakers.record(key, false, 1000);
    breakers.record(key, false, 1001);
    expect(breakers.isHealthy(key, 1002)).toBe(false);
    expect(told).toEqual(['open']);
    await expect.poll(() => feed.list()[0]?.status).toBe('delivered');
    expect(hook.bodies).toEqual([{ text: 'Tollgate breaker alert (openai/gpt-4o): circuit breaker opened for gpt-4o on openai' }]);
  });
});
