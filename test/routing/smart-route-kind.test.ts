import { describe, expect, it } from 'vitest';
import type { FactCondition } from '../../shared/condition.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import { nodeSpec } from '../../shared/nodes/index.js';
import { smartRouteNode } from '../../shared/nodes/smart-route.js';
import { calibrationFor, ROUTER_CALIBRATION } from '../../shared/routing/router-calibration.js';
import { requestFacts } from '../../server/facts/request-facts.js';
import { KIND_EXECUTORS } from '../../server/kinds/index.js';
import { roundedRouterScore } from '../../server/routing/router-fact.js';
import { promptShape } from '../../server/routing/router-features.js';

const CHOICE = 'Which of the following is NOT a prime number?\nA. 2\nB. 3\nC. 9\nD. 11\nAnswer:';
const OPEN = 'A baker sells 14 loaves a day at $3 each and a third of them at half price on Sundays. What does she take in a week?';
const caller = { tags: {}, serviceKey: '', user: '', tier: '' };
const factsOf = (content: string) =>
  requestFacts({ model: 'gpt-4o', messages: [{ role: 'user', content }] }, { caller, pricing: DEFAULT_PRICING, now: new Date(0) });
const node = { id: 'router', kind: 'smartRoute' as const, position: { x: 0, y: 0 }, params: {} };

describe('the smartRoute kind', () => {
  it('is registered as a spec with the routerScore fact and an executor that resolves it', () => {
    expect(nodeSpec('smartRoute').fact?.name).toBe('routerScore');
    expect(KIND_EXECUTORS.smartRoute.resolveFact).not.toBeNull();
  });

  it('compiles the quality target into one threshold per prompt shape, carried in the fact params', () => {
    const params = smartRouteNode.params.parse({ qualityTarget: 90 });
    const strong = smartRouteNode.leave(params, 'strong', node as never).conditions[0] as FactCondition;
    const cheap = smartRouteNode.leave(params, 'cheap', node as never).conditions[0] as FactCondition;
    const { shapes } = calibrationFor(90);
    const expected = { version: ROUTER_CALIBRATION.version, thresholds: { choice: shapes.choice.threshold, open: shapes.open.threshold } };
    expect(strong).toEqual({ fact: 'routerScore', operator: 'greaterThanInclusive', value: 0, params: expected });
    expect(cheap).toEqual({ fact: 'routerScore', operator: 'lessThan', value: 0, params: expected });
  });

  it('resolves to the score minus the threshold of the prompt’s own shape', () => {
    const thresholds = { choice: 0.25, open: -0.5 };
    for (const prompt of [CHOICE, OPEN]) {
      const facts = factsOf(prompt);
      const value = KIND_EXECUTORS.smartRoute.resolveFact({ version: ROUTER_CALIBRATION.version, thresholds }, facts, {} as never);
      expect(value).toBeCloseTo(roundedRouterScore(prompt, facts.taskType) - thresholds[promptShape(prompt)], 6);
    }
    expect([promptShape(CHOICE), promptShape(OPEN)]).toEqual(['choice', 'open']);
  });

  it('refuses a quality target outside the calibrated range, naming it', () => {
    const result = smartRouteNode.params.safeParse({ qualityTarget: 101 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['qualityTarget']);
  });
});
