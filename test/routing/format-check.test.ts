import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { asksForFormat, formatProblem as formatProblemWith } from '../../server/routing/format-check.js';
import { schemaEngineCompiles, schemaViolation } from '../../server/routing/schema-validation.js';

/** The check with schemas checked on this thread (the runtime's worker runs the same schemaViolation). */
const formatProblem = (request: ChatCompletionRequest, body: Record<string, unknown>) => formatProblemWith(request, body, schemaViolation);

const base: ChatCompletionRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'List two colours.' }] };
const jsonObject = { ...base, response_format: { type: 'json_object' } } as ChatCompletionRequest;
const jsonSchema = {
  ...base,
  response_format: { type: 'json_schema', json_schema: { name: 'colours', schema: { type: 'object', required: ['colours', 'count'], properties: {} } } },
} as ChatCompletionRequest;
const withTools = {
  ...base,
  tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } }],
} as ChatCompletionRequest;

const answer = (content: string | null, toolCalls?: { name: string; arguments: string }[]) => ({
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls.map((c, i) => ({ id: `call_${i}`, type: 'function', function: c })) } : {}) },
      finish_reason: toolCalls ? 'tool_calls' : 'stop',
    },
  ],
});

describe('the format check', () => {
  it('knows which requests ask for a format a parser reads', async () => {
    expect(asksForFormat(base)).toBe(false);
    expect(asksForFormat({ ...base, response_format: { type: 'text' } } as ChatCompletionRequest)).toBe(false);
    expect(asksForFormat(jsonObject)).toBe(true);
    expect(asksForFormat(jsonSchema)).toBe(true);
    expect(asksForFormat(withTools)).toBe(true);
  });

  it('passes anything when no format was asked for', async () => {
    expect(await formatProblem(base, answer('Red and blue.'))).toBeNull();
    expect(await formatProblem(base, answer('```json\n{"a":1}\n```'))).toBeNull();
  });

  it('fails content that is not the JSON object asked for, fenced blocks and truncated JSON included', async () => {
    expect(await formatProblem(jsonObject, answer('{"colours": ["red", "blue"]}'))).toBeNull();
    expect(await formatProblem(jsonObject, answer(' \n{"colours": []}\n'))).toBeNull();
    expect(await formatProblem(jsonObject, answer('```json\n{"colours": ["red"]}\n```'))).toBe('the answer is not JSON');
    expect(await formatProblem(jsonObject, answer('Sure! {"colours": ["red"]}'))).toBe('the answer is not JSON');
    expect(await formatProblem(jsonObject, answer('{"colours": ["red", "bl'))).toBe('the answer is not JSON');
    expect(await formatProblem(jsonObject, answer('["red", "blue"]'))).toBe('the answer is JSON but not an object');
  });

  it("checks a schema's top-level type and required keys", async () => {
    expect(await formatProblem(jsonSchema, answer('{"colours": ["red"], "count": 1}'))).toBeNull();
    expect(await formatProblem(jsonSchema, answer('{"colours": ["red"]}'))).toBe('the answer lacks required key "count"');
    expect(await formatProblem(jsonSchema, answer('"red"'))).toBe('the answer is JSON but not an object');
  });

  it('fails tool calls whose arguments are not a JSON object, that name no declared tool or lack a required parameter', async () => {
    expect(await formatProblem(withTools, answer(null, [{ name: 'get_weather', arguments: '{"city":"Paris"}' }]))).toBeNull();
    expect(await formatProblem(withTools, answer(null, [{ name: 'get_weather', arguments: '{"city": "Par' }]))).toBe('tool call "get_weather" has arguments that are not a JSON object');
    expect(await formatProblem(withTools, answer(null, [{ name: 'get_weather', arguments: '{}' }]))).toBe('tool call "get_weather" lacks required "city"');
    expect(await formatProblem(withTools, answer(null, [{ name: 'get_wether', arguments: '{"city":"Paris"}' }]))).toBe('tool call names no declared tool "get_wether"');
    // A plain-text answer to a request with tools is a fine answer: the model chose not to call one.
    expect(await formatProblem(withTools, answer('It is sunny in Paris.'))).toBeNull();
  });

  it('checks the rest of a json_schema too: nested types, enums and closed objects', async () => {
    const schema = {
      type: 'object',
      required: ['colours'],
      additionalProperties: false,
      properties: { colours: { type: 'array', items: { type: 'string', enum: ['red', 'blue', 'yellow'] }, minItems: 2 }, note: { type: 'string' } },
    };
    const asking = { ...base, response_format: { type: 'json_schema', json_schema: { name: 'c', schema } } } as ChatCompletionRequest;
    expect(await formatProblem(asking, answer('{"colours": ["red", "blue"]}'))).toBeNull();
    expect(await formatProblem(asking, answer('{"colours": ["red"]}'))).toBe('the answer breaks the schema at /colours: must NOT have fewer than 2 items');
    expect(await formatProblem(asking, answer('{"colours": ["red", "green"]}'))).toBe('the answer breaks the schema at /colours/1: must be equal to one of the allowed values');
    expect(await formatProblem(asking, answer('{"colours": ["red", "blue"], "extra": 1}'))).toBe('the answer breaks the schema at /: must NOT have additional properties');
  });

  it("checks a tool call's arguments against the tool's parameters schema", async () => {
    expect(await formatProblem(withTools, answer(null, [{ name: 'get_weather', arguments: '{"city": 75001}' }]))).toBe('tool call "get_weather" breaks its parameters at /city: must be string');
  });

  it("runs the caller's regular expressions on a linear-time engine, and falls back for what it cannot compile", async () => {
    // (a+)+$ on a long run of a's ending in "!" backtracks for ages in a backtracking engine; RE2 answers at once.
    const evil = { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^(a+)+$' } } };
    const asking = { ...base, response_format: { type: 'json_schema', json_schema: { name: 'e', schema: evil } } } as ChatCompletionRequest;
    expect(await formatProblem(asking, answer(JSON.stringify({ name: `${'a'.repeat(5_000)}!` })))).toBe('the answer breaks the schema at /name: must match pattern "^(a+)+$"');
    expect(await formatProblem(asking, answer(JSON.stringify({ name: 'aaaa' })))).toBeNull();
    expect(await formatProblem(asking, answer('{"name": 3}'))).toBe('the answer breaks the schema at /name: must be string');
    // Keys matched by pattern are checked too.
    const keyed = { type: 'object', patternProperties: { '^n_': { type: 'number' } }, additionalProperties: false };
    const byKey = { ...base, response_format: { type: 'json_schema', json_schema: { name: 'k', schema: keyed } } } as ChatCompletionRequest;
    expect(await formatProblem(byKey, answer('{"n_a": 1, "n_b": 2}'))).toBeNull();
    expect(await formatProblem(byKey, answer('{"n_a": "one"}'))).toBe('the answer breaks the schema at /n_a: must be number');
    expect(await formatProblem(byKey, answer('{"other": 1}'))).toBe('the answer breaks the schema at /: must NOT have additional properties');
    // RE2 has no lookahead: the pattern is left out, the rest of the schema still checked.
    const lookahead = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^(?=.*[0-9])' }, n: { type: 'number' } } };
    const withLookahead = { ...base, response_format: { type: 'json_schema', json_schema: { name: 'l', schema: lookahead } } } as ChatCompletionRequest;
    expect(await formatProblem(withLookahead, answer('{"code": "abc"}'))).toBeNull();
    expect(await formatProblem(withLookahead, answer('{"code": "abc", "n": "x"}'))).toBe('the answer breaks the schema at /n: must be number');
    const broken = { type: 'object', required: ['name'], properties: { name: { type: 'no-such-type' } } };
    const unreadable = { ...base, response_format: { type: 'json_schema', json_schema: { name: 'b', schema: broken } } } as ChatCompletionRequest;
    expect(await formatProblem(unreadable, answer('{"name": 3}'))).toBeNull();
    expect(await formatProblem(unreadable, answer('{}'))).toBe('the answer lacks required key "name"');
  });

  it('keeps checking correctly past its cache of compiled schemas', async () => {
    for (let i = 0; i < 300; i++) {
      // Services reuse an $id for different schemas: each is still checked as sent.
      const schema = { $id: `s${i % 7}`, type: 'object', properties: { [`k${i}`]: { type: 'number' } } };
      const asking = { ...base, response_format: { type: 'json_schema', json_schema: { name: `s${i}`, schema } } } as ChatCompletionRequest;
      expect(await formatProblem(asking, answer(JSON.stringify({ [`k${i}`]: 1 })))).toBeNull();
      expect(await formatProblem(asking, answer(JSON.stringify({ [`k${i}`]: 'one' })))).toBe(`the answer breaks the schema at /k${i}: must be number`);
    }
  });

  it('starts a fresh schema engine before one holds too many compiled schemas, and keeps checking across the change', async () => {
    // Ajv keeps something of every schema it compiled: a fresh schema per request must not grow it for ever.
    const asking = (i: number) => {
      const schema = { type: 'object', properties: { [`p${i}`]: { type: 'string', pattern: `^v${i}$` } } };
      return { ...base, response_format: { type: 'json_schema', json_schema: { name: `p${i}`, schema } } } as ChatCompletionRequest;
    };
    let fresh = 0;
    let before = schemaEngineCompiles();
    for (let i = 0; i < 2_500; i++) {
      expect(await formatProblem(asking(i), answer(JSON.stringify({ [`p${i}`]: `v${i}` })))).toBeNull();
      expect(await formatProblem(asking(i), answer(JSON.stringify({ [`p${i}`]: 'w' })))).toBe(`the answer breaks the schema at /p${i}: must match pattern "^v${i}$"`);
      // One compiled a few engines' worth of schemas ago (kept in the cache, maybe on the engine before this one).
      if (i >= 20) expect(await formatProblem(asking(i - 20), answer(JSON.stringify({ [`p${i - 20}`]: 'w' })))).toMatch(/must match pattern/);
      if (schemaEngineCompiles() < before) fresh++;
      before = schemaEngineCompiles();
    }
    expect(fresh).toBeGreaterThanOrEqual(2);
    expect(await formatProblem(asking(0), answer('{"p0": "w"}'))).toBe('the answer breaks the schema at /p0: must match pattern "^v0$"');
  });

  it('never throws on a body of the wrong shape', async () => {
    for (const body of [{}, { choices: [] }, { choices: [{}] }, { choices: [{ message: { content: 42 } }] }, { choices: [{ message: { tool_calls: [{}] } }] }]) {
      await expect(formatProblem(jsonObject, body as Record<string, unknown>)).resolves.toSatisfy((v: unknown) => v === null || typeof v === 'string');
      await expect(formatProblem(withTools, body as Record<string, unknown>)).resolves.toSatisfy((v: unknown) => v === null || typeof v === 'string');
    }
  });
});
