import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costMicros, costMicrosCeil, microsToUsd } from '../../shared/cost.js';
import type { ModelPrice } from '../../shared/pricing.js';
import { UsageSummary } from '../../server/ledger/summarize.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

/** An exact decimal string for a count of micro-dollars, e.g. 125000n -> "0.125". */
function decimalUsd(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** A price per million tokens with at most three decimals, as list prices are ($0.075, $1.25, $15). */
const thousandthsPrice = fc.integer({ min: 0, max: 100_000 });
const tokens = fc.integer({ min: 0, max: 2_000_000 });

describe('money in integer micro-dollars', () => {
  it('adds ten requests of $0.0125 to exactly the $0.125 a float sum misses', () => {
    const index = new SpendIndex();
    let float = 0;
    for (let i = 0; i < 10; i++) {
      index.add(ledgerRecord({ time: '2025-03-10T12:00:00Z', costUsd: 0.0125, costMicros: 12_500 }));
      float += 0.0125;
    }
    expect(float).toBeLessThan(0.125);
    expect(index.spentMicros('global', 'day', Date.parse('2025-03-10T13:00:00Z'))).toBe(125_000);
  });

  it('prices a call at the exact decimal cost, rounded half up, and reserves at least that', () => {
    fc.assert(
      fc.property(tokens, tokens, tokens, thousandthsPrice, thousandthsPrice, thousandthsPrice, (input, output, cachedRaw, inK, outK, cachedK) => {
        const cached = Math.min(cachedRaw, input);
        const price: ModelPrice = { provider: 'openai', input: inK / 1000, output: outK / 1000, cachedInput: cachedK / 1000 };
        const usage = { inputTokens: input, outputTokens: output, cachedInputTokens: cached };
        // Tokens x thousandths of a dollar per million tokens = thousandths of a micro-dollar, exactly.
        const exact = BigInt(input - cached) * BigInt(inK) + BigInt(cached) * BigInt(cachedK) + BigInt(output) * BigInt(outK);
        const rounded = (exact + 500n) / 1000n;
        const ceiled = (exact + 999n) / 1000n;
        expect(BigInt(costMicros(usage, price))).toBe(rounded);
        expect(BigInt(costMicrosCeil(usage, price))).toBe(ceiled);
      }),
      { numRuns: 500 },
    );
  });

  it('sums any ledger, old records (costUsd only) included, to the exact decimal total', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50_000_000 }), fc.boolean()), { maxLength: 200 }), (costs) => {
        const index = new SpendIndex();
        const summary = new UsageSummary('team');
        for (const [micros, old] of costs) {
          const record = ledgerRecord({ time: '2025-03-10T12:00:00Z', costUsd: micros / 1e6, ...(old ? {} : { costMicros: micros }) });
          index.add(record);
          summary.add(record);
        }
        const exact = costs.reduce((sum, [micros]) => sum + BigInt(micros), 0n);
        expect(BigInt(index.spentMicros('tag:team=search', 'month', Date.parse('2025-03-10T13:00:00Z')))).toBe(exact);
        const total = summary.result()[0]?.costUsd ?? 0;
        expect(String(total)).toBe(decimalUsd(exact));
        expect(total).toBe(microsToUsd(Number(exact)));
      }),
      { numRuns: 300 },
    );
  });
});
