import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hello, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { bodyLimit: '64kb' });
});
afterAll(() => h.close());

async function expectOpenAIError(response: Response, status: number, param: string | null) {
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body).toEqual({ error: { message: expect.any(String), type: expect.any(String), param, code: expect.anything() } });
  return body.error as { message: string; type: string; param: string | null; code: string | null };
}

describe('bad input on /v1 gets a 4xx in OpenAI’s shape naming the field', () => {
  it('malformed JSON', async () => {
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', '{"model": "gpt-4o", "messages": ['), 400, 'body');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('missing messages', async () => {
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', { model: 'gpt-4o-mini' }), 400, 'messages');
    expect(error.code).toBe('missing_required_parameter');
  });

  it('empty messages', async () => {
    await expectOpenAIError(await h.post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [] }), 400, 'messages');
  });

  it('a wrong type deep in a message', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 42 }] };
    await expectOpenAIError(await h.post('/v1/chat/completions', body), 400, 'messages[0].content');
  });

  it('an unknown role', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'wizard', content: 'hi' }] };
    await expectOpenAIError(await h.post('/v1/chat/completions', body), 400, 'messages[0].role');
  });

  it('a wrong type for a number', async () => {
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', { ...hello(), max_tokens: 'many' }), 400, 'max_tokens');
    // Present but of the wrong type: not "required".
    expect(error).toMatchObject({ code: 'invalid_type', message: expect.stringMatching(/^'max_tokens': .*expected number, received string/) });
  });

  it('a wrong type where a string, a boolean or a list goes, told apart from a missing field', async () => {
    for (const [field, value, expected] of [
      ['model', 5, 'string'],
      ['stream', 'yes', 'boolean'],
      ['tools', 'x', 'array'],
    ] as const) {
      const error = await expectOpenAIError(await h.post('/v1/chat/completions', { ...hello(), [field]: value }), 400, field);
      expect(error.code).toBe('invalid_type');
      expect(error.message).toContain(`expected ${expected}`);
    }
    const { model: _model, ...noModel } = hello();
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', noModel), 400, 'model');
    expect(error).toMatchObject({ code: 'missing_required_parameter', message: "'model' is required" });
  });

  it('a message without content, unless it is an assistant turn that called tools', async () => {
    const missing = await expectOpenAIError(await h.post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user' }] }), 400, 'messages[0].content');
    expect(missing).toMatchObject({ code: 'missing_required_parameter', message: "'messages[0].content' is required" });
    const empty = await expectOpenAIError(await h.post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'system', content: null }, { role: 'user', content: 'hi' }] }), 400, 'messages[0].content');
    expect(empty.message).toBe("'messages[0].content': a system message needs content");
    const toolTurn = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      ],
    };
    expect((await h.post('/v1/chat/completions', toolTurn)).status).toBe(200);
  });

  it('a body that is not an object', async () => {
    for (const body of ['[1, 2, 3]', '"hello"', '42', 'null']) {
      const error = await expectOpenAIError(await h.post('/v1/chat/completions', body), 400, null);
      expect(error.message).toBe('The body must be a JSON object');
    }
  });

  it('on /api too: a missing field is said to be required, not of an odd type', async () => {
    for (const pathname of ['/api/compile', '/api/policies/abc/publish']) {
      const missing = await h.post(pathname, {});
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error: unknown }).error).toMatchObject({ code: 'invalid_body', field: 'graph', message: 'graph: required' });
    }
  });

  it('an unknown policy', async () => {
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'nope' }), 404, 'x-tollgate-policy');
    expect(error.message).toContain('cost-router');
  });

  it('malformed tags', async () => {
    await expectOpenAIError(await h.post('/v1/chat/completions', hello(), { 'x-tollgate-tags': 'team=search,oops' }), 400, 'x-tollgate-tags');
  });

  it('an oversized body', async () => {
    const big = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] };
    const error = await expectOpenAIError(await h.post('/v1/chat/completions', big), 413, 'body');
    expect(error.message).toMatch(/larger than the limit/);
  });

  it('the same checks on /v1/decide', async () => {
    await expectOpenAIError(await h.post('/v1/decide', { model: 'gpt-4o-mini' }), 400, 'messages');
  });

  it('an unknown route', async () => {
    const response = await fetch(`${h.url}/v1/embeddings/nope`);
    await expectOpenAIError(response, 404, null);
  });

  it('serves the chat path with a trailing slash or a query string, and refuses other methods on it', async () => {
    expect((await h.post('/v1/chat/completions/?trace=1', hello())).status).toBe(200);
    const get = await fetch(`${h.url}/v1/chat/completions`);
    await expectOpenAIError(get, 404, null);
  });

  it('keeps serving after all of that', async () => {
    const response = await h.post('/v1/chat/completions', hello());
    expect(response.status).toBe(200);
  });
});

describe('bad input on /api names the field', () => {
  it('a publish whose graph has errors is refused with diagnostics', async () => {
    const graph = { id: 'broken', name: 'Broken', nodes: [{ id: 'req', kind: 'request' }], edges: [] };
    const response = await h.post('/api/policies/broken/publish', { graph });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.diagnostics.map((d: { code: string }) => d.code)).toContain('TG006');
  });

  it('a graph whose id differs from the URL', async () => {
    const response = await h.post('/api/policies/other/publish', { graph: { id: 'mine', name: 'x', nodes: [] } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.field).toBe('graph.id');
  });

  it('an import that is not a rule file', async () => {
    const response = await h.post('/api/import', { ruleFile: { hello: 'world' } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Not a Tollgate rule file/);
  });
});
