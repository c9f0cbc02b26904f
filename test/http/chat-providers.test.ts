import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

let openai: UpstreamServer;
let anthropic: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  openai = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  anthropic = await startAnthropicUpstream({ apiKey: 'sk-ant-upstream' });
  h = await startHarness({
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'sk-upstream',
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'sk-ant-upstream',
  });
});
afterAll(async () => {
  await h.close();
  await openai.close();
  await anthropic.close();
});
beforeEach(() => {
  openai.setFault(null);
  anthropic.setFault(null);
  openai.requests.length = 0;
  anthropic.requests.length = 0;
});

describe('through the official OpenAI SDK, non-streaming', () => {
  it('routes a simple request to the cheap model on the OpenAI upstream and says so in headers', async () => {
    const { data, response } = await h.client.chat.completions.create(hello('gpt-4o')).withResponse();
    expect(data.choices[0]!.message.content).toContain('echo gpt-4o-mini');
    expect(openai.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o-mini' });
    // The caller's key identifies the service; the provider gets Tollgate's own key.
    expect(openai.requests.at(-1)!.headers.authorization).toBe('Bearer sk-upstream');
    expect(Object.fromEntries([...response.headers].filter(([k]) => k.startsWith('x-tollgate-')))).toMatchObject({
      'x-tollgate-policy': 'cost-router',
      'x-tollgate-rule': 'cheap-model',
      'x-tollgate-model': 'gpt-4o-mini',
      'x-tollgate-provider': 'openai',
      'x-tollgate-cache': 'bypass',
    });
    expect(Number(response.headers.get('x-tollgate-cost-usd'))).toBeGreaterThan(0);
  });

  it('routes complex work from the research team to the premium model', async () => {
    const prompt = 'Analyze the trade-offs of three caching designs step by step and recommend one. '.repeat(30);
    const { response } = await h.client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }, { headers: { 'x-tollgate-tags': 'team=research' } })
      .withResponse();
    expect(response.headers.get('x-tollgate-rule')).toBe('premium-model');
    expect(openai.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o' });
  });

  it('falls back to Anthropic when OpenAI keeps failing, translating both ways', async () => {
    openai.setFault({ status: 503 });
    const { data, response } = await h.client.chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-model')).toBe('claude-3-5-haiku-20241022');
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]!.message.content).toContain('echo claude-3-5-haiku-20241022');
    expect(anthropic.requests.at(-1)!.body).toMatchObject({ model: 'claude-3-5-haiku-20241022', messages: [{ role: 'user' }] });
    expect(openai.requests.length).toBe(2); // one try and one retry before the fallback
  });

  it('retries a 429 after its Retry-After and succeeds on the same model', async () => {
    openai.setFault({ status: 429, retryAfter: '0', times: 1 });
    const { response } = await h.client.chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    expect(openai.requests.length).toBe(2);
  });

  it('answers 502 in OpenAI’s shape, listing every attempt, when the whole chain fails', async () => {
    openai.setFault({ status: 500 });
    anthropic.setFault({ status: 529 });
    const error = await h.client.chat.completions.create(hello()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, type: 'upstream_error' });
    expect((error as Error).message).toContain('claude-3-5-haiku-20241022');
  });

  it('falls back when the first provider resets the connection', async () => {
    openai.setFault({ reset: true });
    const { response } = await h.client.chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
  });

  it('passes a provider’s 400 straight back: another model would refuse it too', async () => {
    openai.setFault({ status: 400, message: 'messages too long for this model', times: 1 });
    const error = await h.client.chat.completions.create(hello()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect((error as Error).message).toContain('messages too long');
    expect(anthropic.requests.length).toBe(0);
  });
});

describe('timeouts', () => {
  it('gives up on a provider that hangs past the route’s timeout and falls back', async () => {
    const graph = {
      id: 'impatient',
      name: 'Impatient',
      nodes: [
        { id: 'request', kind: 'request', params: {} },
        { id: 'fast-or-else', kind: 'route', params: { model: 'gpt-4o-mini', timeoutMs: 300, retries: 0 } },
        { id: 'fallback', kind: 'route', params: { model: 'claude-3-5-haiku-20241022' } },
      ],
      edges: [
        { id: 'e1', source: 'request', sourceHandle: 'next', target: 'fast-or-else' },
        { id: 'e2', source: 'fast-or-else', sourceHandle: 'onError', target: 'fallback' },
      ],
    };
    expect((await h.post('/api/policies/impatient/publish', { graph })).status).toBe(200);
    openai.setFault({ hangMs: 5000 });
    const { response } = await h.client.chat.completions.create(hello(), { headers: { 'x-tollgate-policy': 'impatient' } }).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    expect(response.headers.get('x-tollgate-rule')).toBe('fast-or-else');
  });
});

describe('through the official OpenAI SDK, streaming', () => {
  it('passes chunks through with the decision headers', async () => {
    const { data: stream, response } = await h.client.chat.completions
      .create({ ...hello(), stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let text = '';
    let usage = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toContain('echo gpt-4o-mini');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o-mini');
    expect(response.headers.get('x-tollgate-cost-estimated')).toBe('true');
  });

  it('streams from Anthropic when OpenAI fails before the first chunk', async () => {
    openai.setFault({ status: 500 });
    const { data: stream, response } = await h.client.chat.completions.create({ ...hello(), stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    expect(text).toContain('echo claude-3-5-haiku-20241022');
  });

  it('reports a stream cut midway as an error the SDK raises, and books it', async () => {
    openai.setFault({ cutAfterChunks: 2 });
    const stream = await h.client.chat.completions.create({ ...hello(), stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/broke off|stream/i);
  });

  it('leaves out the usage chunk when the caller did not ask for it', async () => {
    const stream = await h.client.chat.completions.create({ ...hello(), stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
  });
});
