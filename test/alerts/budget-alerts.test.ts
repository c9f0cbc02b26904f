import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AlertFeed } from '../../server/alerts/alert-feed.js';
import { checkBudgets } from '../../server/alerts/budget-alerts.js';
import { BudgetBook } from '../../server/limits/budget-fact.js';
import { BudgetReservations } from '../../server/limits/budget-reservations.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

describe('budget alerts', () => {
  it('50 parallel bookings that carry a team past 80% of its budget post exactly one alert', async () => {
    const bodies: unknown[] = [];
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(raw));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const feed = new AlertFeed({ env: { TOLLGATE_ALERT_WEBHOOK: url } });
    const spend = new SpendIndex();
    const book = new BudgetBook(spend, new BudgetReservations());
    const now = Date.now();
    const budgets = [{ policy: 'cost-router', scope: 'tag:team', limitUsd: 1, window: 'day' as const }];
    // 50 × $0.017 = $0.85: the threshold is crossed by the 48th booking.
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const record = ledgerRecord({ id: `r${i}`, time: new Date(now).toISOString(), costUsd: 0.017, tags: { team: 'search' } });
        spend.add(record);
        checkBudgets({ feed, book, budgets, record, now });
      }),
    );
    await expect.poll(() => feed.list()[0]?.status).toBe('delivered');
    expect(feed.list()).toHaveLength(1);
    expect(feed.list()[0]).toMatchObject({ kind: 'budget', scope: 'cost-router tag:team=search day 80%' });
    expect(bodies).toHaveLength(1);
    await new Promise((resolve) => server.close(resolve));
  });
});
