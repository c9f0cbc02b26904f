import { describe, expect, it } from 'vitest';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { CHEAP, CHEAP_MICROS, COLOURS, OUTPUT_TOKENS, STRONG, STRONG_JSON, STRONG_MICROS, useCascade, WEATHER, WEATHER_TOOL } from './answer-check-cascade.js';

const c = useCascade();

/** Answers asked for in a format (JSON mode, tool calls) are checked against it, whatever the router's score. */
describe('a cascade that checks the format asked for', () => {
  it('asks the strong model again when a cheap answer breaks the JSON format asked for, and serves valid JSON from the cheap model with one call', async () => {
    const json = (content: string) =>
      c.h.client.chat.completions
        .create({ model: STRONG, messages: [{ role: 'user', content }], response_format: { type: 'json_object' }, max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
        .withResponse();
    c.cheapAnswers.set(COLOURS, '```json\n{"colours": ["red", "blue"]}\n```');
    const broken = await json(COLOURS);
    expect(broken.data.choices[0]!.message.content).toBe(STRONG_JSON);
    expect(broken.response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    expect(c.cheapUpstream.requests).toHaveLength(1);
    expect(c.strongUpstream.requests).toHaveLength(1);
    const record = await c.recordOf(broken.response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', escalated: true, reasons: ['the answer is not JSON'], cheap: { model: CHEAP } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);

    c.cheapAnswers.set(COLOURS, '{"colours": ["red", "yellow"]}');
    const valid = await json(COLOURS);
    expect(valid.data.choices[0]!.message.content).toBe('{"colours": ["red", "yellow"]}');
    expect(valid.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(valid.response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(c.strongUpstream.requests).toHaveLength(1);
  });

  it('asks the strong model again when a cheap tool call lacks a required parameter', async () => {
    c.cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{}' }]);
    const { data, response } = await c.h.client.chat.completions
      .create({ model: STRONG, messages: [{ role: 'user', content: WEATHER }], tools: [WEATHER_TOOL], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
      .withResponse();
    expect(data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', reasons: ['tool call "get_weather" lacks required "city"'] });
  });

  it('asks the strong model again when a cheap tool call breaks its parameters schema below the top level (checked on the schema worker thread), and serves one that keeps it', async () => {
    const ask = () =>
      c.h.client.chat.completions
        .create({ model: STRONG, messages: [{ role: 'user', content: WEATHER }], tools: [WEATHER_TOOL], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
        .withResponse();
    c.cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{"city": 75001}' }]);
    const broken = await ask();
    expect(broken.response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    expect(broken.data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { arguments: '{"city":"Paris"}' } });
    const record = await c.recordOf(broken.response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', reasons: ['tool call "get_weather" breaks its parameters at /city: must be string'] });

    c.cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{"city": "Lyon"}' }]);
    const kept = await ask();
    expect(kept.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(kept.data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { arguments: '{"city": "Lyon"}' } });
    expect(c.strongUpstream.requests).toHaveLength(1);
  });
});
