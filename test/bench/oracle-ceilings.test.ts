import { describe, expect, it } from 'vitest';
import { oracleCeilings, type Outcome } from '../../bench/router/oracle-ceilings.js';

const prompts = (group: string, n: number, cheapRight: boolean, strongRight: boolean): Outcome[] =>
  Array.from({ length: n }, () => ({ group, cheapRight, strongRight }));

describe('oracleCeilings', () => {
  // Subject a: half its prompts only the strong model gets right; b: both right; c: both wrong.
  const outcomes = [...prompts('a', 2, false, true), ...prompts('a', 2, true, true), ...prompts('b', 4, true, true), ...prompts('c', 4, false, false)];

  it('sends only the strong-only prompts with per-prompt hindsight, and whole subjects with per-subject hindsight', () => {
    const c = oracleCeilings(outcomes, 1);
    expect(c.perPrompt).toBeCloseTo(2 / 12, 12);
    expect(c.perGroup).toBeCloseTo(4 / 12, 12);
    expect(c.random).toBe(1);
  });

  it('needs nothing sent when the cheap model already meets the target', () => {
    // 6 of 8 strong answers are matched by the cheap model: 75% of all-strong quality for free.
    const c = oracleCeilings(outcomes, 0.75);
    expect(c).toEqual({ perPrompt: 0, perGroup: 0, random: 0 });
  });

  it('can only send a subject whole, however few of its prompts need the strong model', () => {
    const one = [...prompts('only', 1, false, true), ...prompts('only', 3, true, true)];
    const c = oracleCeilings(one, 1);
    expect(c.perPrompt).toBeCloseTo(1 / 4, 12);
    expect(c.perGroup).toBe(1);
  });
});
