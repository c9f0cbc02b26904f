import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import type { RouterStateResponse } from '../../shared/router-state-api.js';
import { calibrationFor } from '../../shared/routing/router-calibration.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';

const ADMIN = 'admin-token-for-router-tests-0123456789';
const VIEWER = 'viewer-token-for-router-tests-0123456789';
const CHEAP = 'gpt-4o-mini';
const STRONG = 'gpt-4o';
const NAMES = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gus', 'Hana'];
/** Open translation prompts, long enough to reach the router, that it scores under the open threshold at 95%: sent cheap by cost-router. */
const prompt = (i: number) =>
  `Translate into French: good morning, my name is ${NAMES[i % 8]} and I would like a table for two people tonight at eight o'clock please, booking ${i}.`;

let upstream: UpstreamServer;
const harnesses: Harness[] = [];

async function harness(overrides: { dataDir?: string } = {}): Promise<Harness> {
  const env = { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_ADMIN_TOKEN: ADMIN, TOLLGATE_VIEWER_TOKEN: VIEWER };
  const h = await startHarness(env, overrides);
  harnesses.push(h);
  return h;
}

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
});
afterAll(async () => {
  for (const h of harnesses.reverse()) await h.close();
  await upstream.close();
});

/** One request through the official SDK, as a service sends it: the model Tollgate chose and the id to give feedback on. */
async function ask(h: Harness, content: string): Promise<{ model: string | null; id: string }> {
  const { data, response } = await h.client.chat.completions.create({ model: STRONG, messages: [{ role: 'user', content }] }).withResponse();
  expect(data.choices[0]?.message.content).toContain(content);
  return { model: response.headers.get('x-tollgate-model'), id: response.headers.get('x-tollgate-request-id')! };
}

async function feedback(h: Harness, requestId: string, thumbs: 'up' | 'down'): Promise<void> {
  const res = await h.post('/v1/feedback', { requestId, thumbs });
  expect(res.status).toBe(200);
}

async function decide(h: Harness, content: string): Promise<DecideResponse> {
  const res = await h.post('/v1/decide', { model: STRONG, messages: [{ role: 'user', content }] });
  expect(res.status).toBe(200);
  return (await res.json()) as DecideResponse;
}

async function routerState(h: Harness): Promise<RouterStateResponse> {
  const res = await fetch(`${h.url}/api/router/state`, { headers: { authorization: `Bearer ${VIEWER}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as RouterStateResponse;
}

/** Feedback comes after all 60 answers (so every one was routed before the router learned anything), all 60 at once. */
async function sixtyCheapAnswers(h: Harness, thumbs: 'up' | 'down'): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const answer = await ask(h, prompt(i));
    expect(answer.model).toBe(CHEAP);
    ids.push(answer.id);
  }
  await Promise.all(ids.map((id) => feedback(h, id, thumbs)));
}

describe('the learned router learns from feedback', () => {
  it('sends the next similar request strong after 60 thumbs-down on cheap answers, says so, and remembers it after a restart', async () => {
    const h = await harness();
    await sixtyCheapAnswers(h, 'down');
    expect((await ask(h, prompt(100))).model).toBe(STRONG);
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: STRONG });

    const decision = await decide(h, prompt(101));
    expect(decision.model).toBe(STRONG);
    const online = decision.router!.online!;
    expect(online).toHaveLength(1);
    const open = calibrationFor(95).shapes.open.threshold;
    expect(online[0]).toMatchObject({ shape: 'open', taskType: 'translate', qualityTarget: 95, calibratedThreshold: open, cheap: { quality: 0 } });
    expect(online[0]!.cheap.outcomes).toBeCloseTo(60, 0);
    expect(online[0]!.shift).toBeGreaterThan(0.9);
    expect(online[0]!.threshold!).toBeLessThan(decision.router!.score);

    const state = await routerState(h);
    expect(state.settings.minOutcomes).toBe(30);
    expect(state.adjustments).toHaveLength(1);
    expect(state.adjustments[0]).toMatchObject({ shape: 'open', taskType: decision.facts.taskType, shift: online[0]!.shift });

    // The editor's simulator explains the same shift for the published graph.
    const graph = JSON.parse(await readFile(path.join(h.rulesDir, 'cost-router.json'), 'utf8')).graph;
    const simulated = await fetch(`${h.url}/api/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ graph, request: { model: STRONG, messages: [{ role: 'user', content: prompt(103) }] } }),
    });
    expect(simulated.status).toBe(200);
    const simulation = (await simulated.json()) as DecideResponse;
    expect(simulation.model).toBe(STRONG);
    expect(simulation.router!.online![0]!.shift).toBe(online[0]!.shift);

    // A second runtime on the same data rebuilds the correction from the feedback files.
    const restarted = await harness({ dataDir: h.dataDir });
    expect((await ask(restarted, prompt(102))).model).toBe(STRONG);
    expect((await routerState(restarted)).adjustments[0]!.cheap.outcomes).toBeCloseTo(60, 0);
  });

  it('keeps sending them cheap after 60 thumbs-up', async () => {
    const h = await harness();
    await sixtyCheapAnswers(h, 'up');
    expect((await ask(h, prompt(100))).model).toBe(CHEAP);
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: CHEAP });
    const online = (await decide(h, prompt(101))).router!.online!;
    expect(online[0]).toMatchObject({ shift: 0, cheap: { quality: 1 } });
    expect(online[0]!.threshold).toBe(online[0]!.calibratedThreshold);
  });

  it('changes nothing for requests feedback never reached: a multiple-choice prompt keeps the calibrated threshold', async () => {
    const h = await harness();
    await sixtyCheapAnswers(h, 'down');
    const choice = 'Which of the following is a prime number?\nA. 4\nB. 6\nC. 7\nD. 9\nAnswer:';
    const online = (await decide(h, choice)).router!.online!;
    expect(online[0]).toMatchObject({ shape: 'choice', shift: 0, cheap: { outcomes: 0 } });
  });

  it('refuses the router state without a token', async () => {
    const h = harnesses[0]!;
    expect((await fetch(`${h.url}/api/router/state`)).status).toBe(401);
  });
});
