import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

const OPEN_MS = 300;
let upstream: UpstreamServer;
let h: Harness;

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind, label: '', position: { x: 0, y: 0 }, params });
const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}`, source, sourceHandle, target });

/** gpt-4o on the OpenAI upstream while its breaker lets requests through, else gpt-4o-mini on the simulator. */
const graph = {
  id: 'health-aware',
  name: 'Health aware',
  nodes: [
    node('req', 'request'),
    node('health', 'providerHealth', { provider: 'openai', model: 'gpt-4o' }),
    node('main', 'route', { model: 'gpt-4o', provider: 'openai', retries: 0 }),
    node('backup', 'route', { model: 'gpt-4o-mini', provider: 'simulator' }),
  ],
  edges: [edge('req', 'next', 'health'), edge('health', 'healthy', 'main'), edge('health', 'unhealthy', 'backup')],
};

const ask = () => h.client.chat.completions.create(hello('gpt-4o'), { headers: { 'x-tollgate-policy': 'health-aware' } }).withResponse();
const ruleOf = async () => (await ask()).response.headers.get('x-tollgate-rule');

async function breakerState(): Promise<string | undefined> {
  const body = (await (await fetch(`${h.url}/api/health/providers`)).json()) as { breakers: { provider: string; model: string; state: string }[] };
  return body.breakers.find((b) => b.provider === 'openai' && b.model === 'gpt-4o')?.state;
}

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  // The backup route names the simulator; next to a real provider it serves only when asked to.
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_SIMULATOR: '1' }, { breakerFailures: 3, breakerWindowMs: 60_000, breakerOpenMs: OPEN_MS });
  expect((await h.post('/api/policies/health-aware/publish', { graph })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

describe('providerHealth node over the circuit breaker', () => {
  it('takes the healthy branch, opens after 3 failures, takes the unhealthy branch, and recovers through one half-open probe', async () => {
    expect(await ruleOf()).toBe('main');
    expect(await breakerState()).toBe('closed');

    upstream.setFault({ status: 503, times: 3 });
    for (let i = 0; i < 3; i++) await expect(ask()).rejects.toMatchObject({ status: 502 });
    expect(await breakerState()).toBe('open');

    const calls = upstream.requests.length;
    const { data, response } = await ask();
    expect(response.headers.get('x-tollgate-rule')).toBe('backup');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    expect(data.choices[0]!.message.content).toBeTruthy();
    expect(upstream.requests.length).toBe(calls);

    await sleep(OPEN_MS + 50);
    // The probe is held upstream until the other 49 have been answered, so all 50 are decided while it is in flight.
    let release = () => {};
    upstream.setFault({ holdUntil: new Promise<void>((resolve) => (release = resolve)), times: 1 });
    let answered = 0;
    const rules = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const rule = await ruleOf();
        if (++answered === 49) release();
        return rule;
      }),
    );
    expect(rules.filter((r) => r === 'main')).toHaveLength(1);
    expect(rules.filter((r) => r === 'backup')).toHaveLength(49);
    expect(await breakerState()).toBe('closed');
    expect(await ruleOf()).toBe('main');
  });

  it('the simulator can pretend the provider is down', async () => {
    const response = await h.post('/api/simulate', { graph, request: hello('gpt-4o'), dynamic: { providerHealthy: false } });
    expect(((await response.json()) as { rule: string }).rule).toBe('backup');
  });
});
