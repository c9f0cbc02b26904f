import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputItemSchema, InputItemsQuerySchema } from '../../shared/responses-api.js';
import { inputItemsPage } from '../../server/responses/input-items-page.js';
import { conversationOf, KEEP_SLACK, storedResponseOf, turnsToExtend, type StoredResponse } from '../../server/responses/stored-response.js';

const ID = 'resp_0123456789abcdef0123456789abcdef';
const EARLIER = 'resp_ffffffffffffffffffffffffffffffff';
const base = { owner: 'key_a', now: 1_000, keepMs: 500 };

describe('storedResponseOf', () => {
  const response = {
    id: ID,
    output: [
      { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look. ', annotations: [] }, { type: 'refusal', refusal: 'Not that part.' }] },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      { type: 'message', id: 'msg_2', role: 'assistant', content: [] },
    ],
  };
  const input = [
    { type: 'message' as const, role: 'user' as const, content: 'Weather in Paris?' },
    { type: 'function_call_output' as const, call_id: 'call_0', output: '18°C', id: 'fco_given' },
  ];

  it('keeps its own turn as sent, with ids, its output as the next turn reads it, and the ids it continued', () => {
    const kept = storedResponseOf({ ...base, response, input, earlier: [EARLIER] });
    expect(kept).toMatchObject({ id: ID, owner: 'key_a', storedAt: 1_000, expiresAt: 1_500, response, earlier: [EARLIER] });
    expect(kept.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Paris?', id: 'msg_0123456789abcdef0123456789abcdef_in0' },
      { type: 'function_call_output', call_id: 'call_0', output: '18°C', id: 'fco_given' },
    ]);
    expect(kept.output).toEqual([
      { type: 'message', id: 'msg_1', role: 'assistant', content: 'Let me look. Not that part.' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    // What is kept reads back as input items of the next request.
    for (const item of [...kept.input, ...kept.output]) expect(InputItemSchema.parse(item)).toEqual(item);
  });

  it('reads a chain of records as one conversation, oldest turn first', () => {
    const first = storedResponseOf({ ...base, response: { id: EARLIER, output: [{ type: 'message', id: 'msg_0', content: [{ type: 'output_text', text: 'Hello.' }] }] }, input: [{ type: 'message', role: 'user', content: 'Hi' }], earlier: [] });
    const second = storedResponseOf({ ...base, response, input, earlier: [EARLIER] });
    expect(conversationOf([first, second]).map((item) => (item.type === 'message' ? item.content : item.type))).toEqual([
      'Hi',
      'Hello.',
      'Weather in Paris?',
      'function_call_output',
      'Let me look. Not that part.',
      'function_call',
    ]);
  });
});

describe('inputItemsPage', () => {
  const items = [1, 2, 3, 4, 5].map((n) => ({ type: 'message' as const, id: `msg_${n}`, role: 'user' as const, content: `turn ${n}` }));
  const page = (query: Record<string, unknown>) => inputItemsPage(items, InputItemsQuerySchema.parse(query));

  it('lists newest first by default, text as a content part, and pages on with after', () => {
    expect(page({ limit: '2' })).toEqual({
      object: 'list',
      data: [
        { type: 'message', id: 'msg_5', role: 'user', content: [{ type: 'input_text', text: 'turn 5' }] },
        { type: 'message', id: 'msg_4', role: 'user', content: [{ type: 'input_text', text: 'turn 4' }] },
      ],
      first_id: 'msg_5',
      last_id: 'msg_4',
      has_more: true,
    });
    expect(page({ limit: '2', after: 'msg_4' })).toMatchObject({ first_id: 'msg_3', last_id: 'msg_2', has_more: true });
    expect(page({ limit: '2', after: 'msg_2' })).toMatchObject({ data: [{ id: 'msg_1' }], has_more: false });
  });

  it('lists oldest first when asked, and refuses a cursor that is not one of the items', () => {
    expect(page({ order: 'asc' })!.data.map((i) => i.id)).toEqual(['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5']);
    expect(page({ after: 'msg_9' })).toBeNull();
    expect(InputItemsQuerySchema.safeParse({ limit: '101' }).success).toBe(false);
  });
});

describe('keeping a conversation: turnsToExtend', () => {
  const DAY = 86_400_000;
  const keepMs = 7 * DAY;
  const idOf = (n: number) => `resp_${n.toString(16).padStart(32, '0')}`;

  /** Plays a conversation turn by turn as a store would; returns how many extensions it made. */
  function play(gapsMs: readonly number[]): { extensions: number; turns: number } {
    const expiry = new Map<string, number>();
    let previous: StoredResponse | null = null;
    let now = 0;
    let extensions = 0;
    const earlier: string[] = [];
    for (const [n, gap] of gapsMs.entries()) {
      now += gap;
      const record = storedResponseOf({ response: { id: idOf(n + 1), output: [] }, owner: 'key_a', input: [], earlier, previous, now, keepMs });
      for (const id of turnsToExtend(record, previous)) {
        extensions++;
        expiry.set(id, Math.max(expiry.get(id)!, record.earlierUntil!));
      }
      expiry.set(record.id, record.expiresAt);
      // Every turn of the conversation lives at least as long as the newest, and at most a 24th of the keep time longer.
      for (const id of earlier) {
        expect(expiry.get(id)).toBeGreaterThanOrEqual(record.expiresAt);
        expect(expiry.get(id)).toBeLessThanOrEqual(record.expiresAt + keepMs * KEEP_SLACK);
      }
      earlier.push(record.id);
      previous = record;
    }
    return { extensions, turns: gapsMs.length };
  }

  it('extends only the previous turn while the others are covered: a 500-turn agent loop costs about one extension a turn', () => {
    const { extensions } = play(Array.from({ length: 500 }, () => 2_000));
    // Extending every earlier turn each time would be 124,750.
    expect(extensions).toBeLessThan(2 * 500);
  });

  it('keeps every earlier turn at least as long as the newest, whatever the gaps between turns', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * DAY }), { minLength: 1, maxLength: 60 }), (gaps) => {
        play(gaps);
      }),
    );
  });

  it('extends all earlier turns of a record from before earlierUntil, which says nothing of them', () => {
    const old = storedResponseOf({ response: { id: idOf(1), output: [] }, owner: 'key_a', input: [], earlier: [], now: 0, keepMs });
    const { earlierUntil: _dropped, ...legacy } = { ...old, earlier: [idOf(0)] };
    const next = storedResponseOf({ response: { id: idOf(2), output: [] }, owner: 'key_a', input: [], earlier: [idOf(0), idOf(1)], previous: legacy, now: 1_000, keepMs });
    expect(turnsToExtend(next, legacy)).toEqual([idOf(0), idOf(1)]);
    expect(next.earlierUntil).toBe(next.expiresAt + keepMs * KEEP_SLACK);
  });
});
