import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConditionTrace, DecideResponse } from '../../shared/api.js';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { calibrationFor, ROUTER_CALIBRATION } from '../../shared/routing/router-calibration.js';
import { roundedRouterScore } from '../../server/routing/router-fact.js';
import { promptShape } from '../../server/routing/router-features.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const MATHS = 'A farmer has 48 sheep. He sells a quarter of them at market, then buys 7 more and loses 3 in a storm. How many sheep does he have now?';
const TRIVIA =
  'Which of the following best describes the main purpose of a country’s central bank?\nA. Collecting taxes\nB. Setting monetary policy\nC. Running elections\nD. Building roads\nAnswer:';

function routerConditions(trace: ConditionTrace): Extract<ConditionTrace, { kind: 'fact' }>[] {
  if (trace.kind === 'fact') return trace.fact === 'routerScore' ? [trace] : [];
  return trace.children.flatMap(routerConditions);
}

async function decide(content: string): Promise<DecideResponse> {
  const response = await h.post('/v1/decide', { model: 'gpt-4o', messages: [{ role: 'user', content }] });
  expect(response.status).toBe(200);
  return (await response.json()) as DecideResponse;
}

describe('the learned router through /v1/decide', () => {
  it('knows one test prompt as open and the other as multiple-choice', () => {
    expect([promptShape(MATHS), promptShape(TRIVIA)]).toEqual(['open', 'choice']);
  });

  const { shapes } = calibrationFor(95);
  const thresholds = { choice: shapes.choice.threshold, open: shapes.open.threshold };
  // The example checks cheap answers to open maths questions (checkAnswers): its router's params say so.
  const params = { version: ROUTER_CALIBRATION.version, thresholds, checkOpenAnswers: true };
  const routerSeen = (decision: DecideResponse) => decision.trace.flatMap((t) => routerConditions(t.conditions)).filter((c) => c.result !== null);

  it('shows the router’s score over its shape’s calibrated threshold in the trace, and routes by it', async () => {
    const threshold = thresholds[promptShape(TRIVIA)];
    const decision = await decide(TRIVIA);
    const seen = routerSeen(decision);
    expect(seen.length).toBeGreaterThan(0);
    const score = roundedRouterScore(TRIVIA, decision.facts.taskType);
    for (const c of seen) {
      expect(c.factValue).toBeCloseTo(score - threshold, 6);
      expect(c.value).toBe(0);
      expect(c.params).toEqual(params);
    }
    expect(decision.model).toBe(score >= threshold ? 'gpt-4o' : 'gpt-4o-mini');
    expect(decision.path).toContain('smart-route');
  });

  it('sends an open maths question cheap first whatever its score (its answer is checked), and shows the check on the cheap branch', async () => {
    const decision = await decide(MATHS);
    expect(decision.facts.taskType).toBe('math');
    const seen = routerSeen(decision);
    expect(seen.length).toBeGreaterThan(0);
    for (const c of seen) {
      expect(c.factValue).toBe(-3);
      expect(c.params).toEqual(params);
    }
    expect(decision.model).toBe('gpt-4o-mini');
    expect(decision.actions).toContainEqual(expect.objectContaining({ type: 'checkAnswer', node: 'smart-route', threshold: answerCheckCalibrationFor(95).threshold }));
  });

  it('says why: the two probabilities behind the score and the features that moved it most', async () => {
    const decision = await decide(MATHS);
    const router = decision.router!;
    expect(router.version).toBe(ROUTER_CALIBRATION.version);
    expect(router.score).toBeCloseTo(roundedRouterScore(MATHS, decision.facts.taskType), 4);
    expect(router.score).toBeCloseTo(router.cheapWrong - router.strongWrong, 3);
    expect(router.reasons.length).toBeGreaterThan(0);
    const effects = router.reasons.map((r) => Math.abs(r.effect));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
    // Hashed features are named by the prompt's own words (a word problem's top reasons can all be dense ones).
    const trivia = (await decide(TRIVIA)).router!;
    const named = [...router.reasons, ...trivia.reasons].filter((r) => r.feature.startsWith('"'));
    expect(named.length).toBeGreaterThan(0);
    for (const r of named) for (const term of r.feature.split(' / ')) expect(`${MATHS} ${TRIVIA}`.toLowerCase()).toContain(term.replace(/"/g, '').split(' ')[0]);
  });

  it('leaves the explanation out for a policy without a learned router', async () => {
    const response = await h.post('/v1/decide', { model: 'gpt-4o', messages: [{ role: 'user', content: MATHS }] }, { 'x-tollgate-policy': 'faq-cache' });
    expect(((await response.json()) as DecideResponse).router).toBeUndefined();
  });

  it('scores a request once per decision however many rules test the score', async () => {
    const decision = await decide(MATHS);
    const values = new Set(decision.trace.flatMap((t) => routerConditions(t.conditions)).map((c) => c.factValue).filter((v) => v !== undefined));
    expect(values.size).toBe(1);
  });

  it('sends the same prompt the same way through /v1/chat/completions', async () => {
    const decision = await decide(TRIVIA);
    const response = await h.post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: TRIVIA }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tollgate-model')).toBe(decision.model);
    expect(response.headers.get('x-tollgate-rule')).toBe(decision.rule);
  });

  it('serves a JSON request the simulator answers in JSON with one cheap call: the format check passes it', async () => {
    const content = 'Give me a JSON object with the names of two primary colours.';
    const { data, response } = await h.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content }], response_format: { type: 'json_object' } }).withResponse();
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(JSON.parse(data.choices[0]!.message.content!)).toHaveProperty('answer');
  });
});
