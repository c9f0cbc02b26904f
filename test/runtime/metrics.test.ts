import { describe, expect, it } from 'vitest';
import { Metrics } from '../../server/runtime/metrics.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

/** The value of one sample line in the Prometheus text, or undefined when it is absent. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('Metrics', () => {
  it('shows every booked record at each scrape, also the ones booked between scrapes', async () => {
    const metrics = new Metrics(false);
    const record = ledgerRecord({ policy: 'p', rule: 'r', servedModel: 'gpt-4o-mini', status: 200, cache: 'miss', tags: { team: 'search' }, costUsd: 0.25, savedUsd: 0.5, inputTokens: 10, outputTokens: 3 });
    metrics.observe(record);
    metrics.observe(record);
    const first = await metrics.registry.metrics();
    expect(sample(first, 'tollgate_requests_total{policy="p",rule="r",model="gpt-4o-mini",status="200",cache="miss"}')).toBe(2);
    expect(sample(first, 'tollgate_cost_usd_total{policy="p",model="gpt-4o-mini",team="search"}')).toBe(0.5);
    expect(sample(first, 'tollgate_tokens_total{direction="input",model="gpt-4o-mini"}')).toBe(20);

    metrics.observe(record);
    metrics.observe({ ...record, savedUsd: -0.125 });
    const second = await metrics.registry.metrics();
    expect(sample(second, 'tollgate_requests_total{policy="p",rule="r",model="gpt-4o-mini",status="200",cache="miss"}')).toBe(4);
    expect(sample(second, 'tollgate_saved_usd_total{policy="p",team="search"}')).toBe(1.5);
    expect(sample(second, 'tollgate_overspent_usd_total{policy="p",team="search"}')).toBe(0.125);
    expect(sample(second, 'tollgate_tokens_total{direction="output",model="gpt-4o-mini"}')).toBe(12);
    expect(sample(second, 'tollgate_request_duration_seconds_count{policy="p"}')).toBe(4);
  });

  it('reads the same figures through a single metric as through the whole registry', async () => {
    const metrics = new Metrics(false);
    metrics.observe(ledgerRecord({ policy: 'p', servedModel: 'm', costUsd: 1 }));
    const cost = await metrics.registry.getSingleMetric('tollgate_cost_usd_total')!.get();
    expect(cost.values.reduce((n, v) => n + v.value, 0)).toBe(1);
  });
});
