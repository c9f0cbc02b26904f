import { describe, expect, it } from 'vitest';
import { ResponsesRequestSchema } from '../../shared/responses-api.js';
import { completionToChunks } from '../../server/providers/openai-sse.js';
import { responsesToChat } from '../../server/responses/responses-to-chat.js';
import { responsesWire } from '../../server/responses/responses-wire.js';

const parse = (body: Record<string, unknown>) => ResponsesRequestSchema.parse({ model: 'gpt-4o', ...body });
const usage = { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 };
const requestId = '0b9c1f2e-1111-4222-8333-944455556666';

function completion(message: Record<string, unknown>, finishReason = 'stop') {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1_800_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }] };
}

/** The events a stream writes, parsed back: [type, data]. */
function events(text: string): [string, Record<string, unknown>][] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return [eventLine!.slice('event: '.length), JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown>];
    });
}

describe('a Responses request as a chat completion', () => {
  it('maps instructions, input items, tools, tool choice, format and reasoning effort', () => {
    const chat = responsesToChat(
      parse({
        instructions: 'Be terse.',
        input: [
          { role: 'developer', content: 'Prefer metric units.' },
          { role: 'user', content: [{ type: 'input_text', text: 'What is in this picture?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
          { type: 'function_call', call_id: 'a', name: 'look', arguments: '{}' },
          { type: 'function_call', call_id: 'b', name: 'measure', arguments: '{"unit":"cm"}' },
          { type: 'function_call_output', call_id: 'a', output: 'a cat' },
          { type: 'function_call_output', call_id: 'b', output: '30' },
        ],
        tools: [{ type: 'function', name: 'look', parameters: { type: 'object' } }],
        tool_choice: { type: 'function', name: 'look' },
        text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
        reasoning: { effort: 'low' },
        max_output_tokens: 300,
        metadata: { team: 'vision' },
      }),
    );
    expect(chat).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'developer', content: 'Prefer metric units.' },
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
        // Consecutive calls are one assistant turn, as chat completions carry parallel calls.
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'look', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'measure', arguments: '{"unit":"cm"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'a cat' },
        { role: 'tool', tool_call_id: 'b', content: '30' },
      ],
      max_tokens: 300,
      metadata: { team: 'vision' },
      tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'look' } },
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'low',
    });
  });

  it('reads a string input as one user turn and a stream as one that reports usage', () => {
    expect(responsesToChat(parse({ input: 'Hello', stream: true }))).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }], stream: true, stream_options: { include_usage: true } });
  });
});

describe('a chat answer as a response', () => {
  const wire = responsesWire(parse({ input: 'Hello', max_output_tokens: 5 }));

  it('carries text, tool calls, usage, and an answer cut at the cap as incomplete', () => {
    const whole = wire.whole(completion({ content: 'Hi there', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'length'), { usage, requestId })!;
    expect(whole).toMatchObject({
      id: 'resp_0b9c1f2e111142228333944455556666',
      object: 'response',
      created_at: 1_800_000_000,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      model: 'gpt-4o-mini',
      max_output_tokens: 5,
      store: false,
      output: [
        { type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi there', annotations: [] }] },
        { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}', status: 'completed' },
      ],
      usage: { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, total_tokens: 17 },
    });
  });

  it('streams to the same response it would have answered whole, for text, refusals, tool calls and empty answers', () => {
    const answers = [
      completion({ content: 'The capital of France is Paris.' }),
      completion({ content: null, refusal: 'I cannot help with that.' }),
      completion({ content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } }, { id: 'c2', type: 'function', function: { name: 'b', arguments: '{}' } }] }, 'tool_calls'),
      completion({ content: 'Checking.', tool_calls: [{ id: 'c3', type: 'function', function: { name: 'a', arguments: '{}' } }] }, 'tool_calls'),
      completion({ content: '' }),
      completion({ content: 'cut' }, 'length'),
    ];
    for (const body of answers) {
      const writer = wire.stream({ requestId, promptTokens: 12 });
      const text = completionToChunks(body).map((c) => writer.chunk(c)).join('') + writer.end({ usage, costUsd: 0.001 });
      const written = events(text);
      const last = written.at(-1)!;
      expect(last[0]).toBe(body.choices[0]!.finish_reason === 'length' ? 'response.incomplete' : 'response.completed');
      expect((last[1].response as Record<string, unknown>).output).toEqual(wire.whole(body, { usage, requestId })!.output);
      // Numbered in order from 0, every item added is done, created comes first.
      expect(written.map(([, d]) => d.sequence_number)).toEqual(written.map((_, i) => i));
      expect(written[0]![0]).toBe('response.created');
      expect(written.filter(([t]) => t === 'response.output_item.added')).toHaveLength(written.filter(([t]) => t === 'response.output_item.done').length);
    }
  });

  it('hands a kept turn its answered response, whole or at the end of a complete stream, and echoes what it continues', () => {
    const kept: Record<string, unknown>[] = [];
    const turn = responsesWire(parse({ input: 'Hello' }), { previousId: 'resp_before', remember: (r) => (kept.push(r), null) });
    const body = completion({ content: 'Hi there' });
    const whole = turn.whole(body, { usage, requestId })!;
    expect(whole).toMatchObject({ store: true, previous_response_id: 'resp_before' });
    const writer = turn.stream({ requestId, promptTokens: 12 });
    events(completionToChunks(body).map((c) => writer.chunk(c)).join('') + writer.end({ usage, costUsd: 0 }));
    expect(kept).toHaveLength(2);
    expect(kept[0]).toBe(whole);
    expect(kept[1]).toMatchObject({ id: whole.id, status: 'completed', store: true, output: whole.output });
    // A stream that broke off is not an answer: nothing is kept.
    const broken = turn.stream({ requestId, promptTokens: 12 });
    broken.chunk(completionToChunks(body)[0]!);
    broken.broke('reset');
    expect(kept).toHaveLength(2);
  });
});
