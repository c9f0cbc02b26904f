import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { niceAxisMicros } from '../../editor/src/dashboard/nice-axis.js';

describe('a money axis', () => {
  it('steps by 1, 2 or 5 times a power of ten at small spend, where the chart library read $0.000035', () => {
    expect(niceAxisMicros(129)).toEqual([0, 50, 100, 150]);
    expect(niceAxisMicros(140)).toEqual([0, 50, 100, 150]);
    expect(niceAxisMicros(12_340_000)).toEqual([0, 5_000_000, 10_000_000, 15_000_000]);
  });

  it('has one micro-dollar step for an empty chart', () => {
    expect(niceAxisMicros(0)).toEqual([0, 1]);
  });

  it('always starts at 0, reaches the maximum in whole equal steps of a 1-2-5 size, in at most four of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (max) => {
        const ticks = niceAxisMicros(max);
        const step = ticks[1]! - ticks[0]!;
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
        expect(ticks.at(-2)!).toBeLessThan(Math.max(1, max));
        ticks.forEach((t, i) => expect(t).toBe(i * step));
        expect(String(step)).toMatch(/^[125]0*$/);
        expect(ticks.length - 1).toBeLessThanOrEqual(4);
      }),
    );
  });
});
