import { z } from 'zod';
import { InputItemSchema, type InputItem } from '../../shared/responses-api.js';

/** Bumped when the record's layout changes; a record of another version reads as absent. */
const RECORD_VERSION = 1;

/** A response id as Tollgate makes them; anything else is never looked up (it also names a file). */
export const STORED_ID = /^resp_[0-9a-f]{32}$/;

/** What is read back (from disk, from Redis) is checked: another version of Tollgate may have written it. */
export const StoredResponseSchema = z.object({
  v: z.literal(RECORD_VERSION),
  id: z.string().regex(STORED_ID),
  /** The service key id that made it; only that caller may read, continue or delete it. */
  owner: z.string(),
  storedAt: z.number(),
  expiresAt: z.number(),
  /**
   * Every earlier turn is kept at least until then (absent on records from before it: treated as
   * not kept at all, so the next turn extends them all).
   */
  earlierUntil: z.number().optional(),
  /** A background response whose answer is still in the batch lane: completed from its job when next read. */
  pending: z.literal(true).optional(),
  /** The response as it was answered. */
  response: z.record(z.string(), z.unknown()),
  /** The responses this one continued, oldest first: the conversation is theirs and then its own turn. */
  earlier: z.array(z.string().regex(STORED_ID)),
  /** This request's own input items as sent, each with an id. */
  input: z.array(InputItemSchema),
  /** Its output as input items of the next turn. */
  output: z.array(InputItemSchema),
});
export type StoredResponse = z.infer<typeof StoredResponseSchema>;

type Json = Record<string, unknown>;

/**
 * The record kept for an answered response: its own turn only, and the ids of those it continued,
 * so a long conversation is kept once rather than again with every turn. Input items get the ids
 * OpenAI would give them; the output becomes input items of the next turn: text (a refusal read as
 * what was said) as an assistant message, each function call as itself.
 */
export function storedResponseOf(o: {
  response: Json;
  owner: string;
  input: readonly InputItem[];
  earlier: readonly string[];
  /** The turn this one continues (the last of `earlier`), or null. */
  previous?: StoredResponse | null;
  /** A background response, kept as it was accepted (its output is the job's, later). */
  pending?: boolean;
  now: number;
  keepMs: number;
}): StoredResponse {
  const id = String(o.response.id);
  const expiresAt = o.now + o.keepMs;
  return {
    v: RECORD_VERSION,
    id,
    owner: o.owner,
    storedAt: o.now,
    expiresAt,
    earlierUntil: o.earlier.length === 0 ? expiresAt : earlierUntilOf(o.previous ?? null, expiresAt, o.keepMs),
    response: o.response,
    earlier: [...o.earlier],
    input: o.input.map((item, i) => (item.id ? item : { ...item, id: `${ITEM_PREFIX[item.type]}_${id.slice(5)}_in${i}` })),
    output: outputAsInput(o.response.output),
    ...(o.pending ? { pending: true as const } : {}),
  };
}

/** A pending background record completed with the response its job answered: no longer pending, its output the next turn's input. */
export function completedRecord(record: StoredResponse, response: Json): StoredResponse {
  const { pending: _done, ...rest } = record;
  return { ...rest, response, output: outputAsInput(response.output) };
}

/**
 * How much longer than the keep time a conversation's earlier turns are kept when they are
 * extended: the headroom that lets the next turns (for this share of the keep time) extend only
 * the one turn before them instead of all of them.
 */
export const KEEP_SLACK = 1 / 24;

/**
 * A new turn must keep every earlier one at least as long as itself, so a conversation can be
 * continued for the keep time after its latest turn. Extending them all each turn would be
 * quadratic over a long agent loop (500 turns: 125,000 renames or PEXPIREs); instead, while the
 * previous turn's earlier ones are already kept past the new turn's expiry, only the previous turn
 * is extended to join them, and otherwise all are extended, with KEEP_SLACK of headroom.
 */
function earlierUntilOf(previous: StoredResponse | null, expiresAt: number, keepMs: number): number {
  const covered = previous?.earlierUntil ?? 0;
  return covered >= expiresAt ? covered : expiresAt + Math.round(keepMs * KEEP_SLACK);
}

/** The earlier turns a store extends to `record.earlierUntil` when it keeps the record: the previous one alone while the rest are covered, else all. */
export function turnsToExtend(record: StoredResponse, previous: StoredResponse | null): readonly string[] {
  if (record.earlier.length === 0) return [];
  const covered = previous && previous.id === record.earlier.at(-1) ? (previous.earlierUntil ?? 0) : 0;
  return covered >= record.expiresAt ? [previous!.id] : record.earlier;
}

/** The conversation a chain of records holds, oldest first, as the input of the turn that continues it. */
export function conversationOf(chain: readonly StoredResponse[]): InputItem[] {
  return chain.flatMap((record) => [...record.input, ...record.output]);
}

const ITEM_PREFIX: Record<InputItem['type'], string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco' };

function outputAsInput(output: unknown): InputItem[] {
  const items: InputItem[] = [];
  for (const item of Array.isArray(output) ? (output as Json[]) : []) {
    if (item.type === 'function_call') {
      items.push({ type: 'function_call', id: String(item.id), call_id: String(item.call_id), name: String(item.name), arguments: String(item.arguments) });
    } else if (item.type === 'message') {
      const text = (Array.isArray(item.content) ? (item.content as Json[]) : [])
        .map((part) => (part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : ''))
        .filter((t): t is string => typeof t === 'string' && t !== '')
        .join('');
      // A string, as a caller would send it: every chat provider takes that for an assistant turn.
      if (text) items.push({ type: 'message', id: String(item.id), role: 'assistant', content: text });
    }
  }
  return items;
}
