import { describe, expect, it } from 'vitest';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { ANSWER_CHECK_WEIGHTS, answerCheckScore } from '../../server/routing/answer-check-model.js';
import { assembleChunks } from '../support/collect-stream.js';
import { CHEAP, CHEAP_MICROS, CHOICE, OUTPUT_TOKENS, PROBLEM, PROMPT_TOKENS, RIGHT, STRONG, STRONG_ANSWER, STRONG_MICROS, useCascade, WRONG } from './answer-check-cascade.js';
import { waitFor } from './wait-for.js';

const c = useCascade();

describe('a learned router that checks cheap answers (a cascade)', () => {
  const threshold = answerCheckCalibrationFor(95).threshold;

  it('scores the wrong worked answer above the threshold and the right one below it (the premise of what follows)', () => {
    expect(answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, WRONG)).toBeGreaterThanOrEqual(threshold);
    expect(answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, RIGHT)).toBeLessThan(threshold);
  });

  it('asks the strong model again when the cheap answer fails the check, and books one request that paid for both', async () => {
    c.cheapAnswers.set(PROBLEM, WRONG);
    const { data, response } = await c.ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(response.headers.get('x-tollgate-model')).toBe(STRONG);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; score=[\d.]+; threshold=/);
    expect(c.cheapUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual([CHEAP]);
    expect(c.strongUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual([STRONG]);

    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record).toMatchObject({ servedModel: STRONG, provider: 'vllm', rule: expect.stringContaining('strong'), attempts: 2, status: 200 });
    expect(record.answerCheck).toMatchObject({ node: 'smart', escalated: true, threshold, cheap: { model: CHEAP, inputTokens: PROMPT_TOKENS, outputTokens: OUTPUT_TOKENS, costMicros: CHEAP_MICROS } });
    expect(record.answerCheck!.reasons.length).toBeGreaterThan(0);
    expect(record.answerCheck!.kept).toBeUndefined();
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);
    // Asked for the strong model and served it, after a discarded cheap call: that call was lost.
    expect(record.savedUsd).toBeCloseTo(-CHEAP_MICROS / 1e6, 9);
    // The online router learns only from answers the check let through.
    expect(record.router).toBeUndefined();
  });

  it('serves a cheap answer that passes the check, calling the strong model not at all', async () => {
    c.cheapAnswers.set(PROBLEM, RIGHT);
    const { data, response } = await c.ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(RIGHT);
    expect(response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
    expect(c.strongUpstream.requests).toHaveLength(0);
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: false });
    expect(record.answerCheck!.cheap).toBeUndefined();
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
    expect(record.router).toMatchObject({ branch: 'cheap', shape: 'open' });
  });

  it('keeps the cheap answer, and says why, when the strong provider fails', async () => {
    c.cheapAnswers.set(PROBLEM, WRONG);
    c.strongUpstream.setFault({ status: 503 });
    const { data, response } = await c.ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(WRONG);
    expect(response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^kept; /);
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: true });
    expect(record.answerCheck!.kept).toMatch(/strong path failed/);
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
  });

  it('routes a multiple-choice question by the prompt alone: a one-letter answer has nothing to check', async () => {
    const { response } = await c.ask(CHOICE);
    expect(response.headers.get('x-tollgate-answer-check')).toBeNull();
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toBeUndefined();
  });

  it('routes a streamed request by the prompt and streams it as it comes: its answer is out before it could be checked', async () => {
    c.cheapAnswers.set(PROBLEM, WRONG);
    const stream = await c.h.client.chat.completions.create(
      { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true },
      { headers: { 'x-tollgate-policy': 'checked' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = assembleChunks(chunks as never).content;
    // One call, on whichever model the prompt's own threshold chose, and no second opinion.
    expect(c.cheapUpstream.requests.length + c.strongUpstream.requests.length).toBe(1);
    expect(text).toBe(c.cheapUpstream.requests.length === 1 ? WRONG : STRONG_ANSWER);
  });

  it('with streams checked too, fetches a streamed cheap answer whole, and streams the strong answer after it failed the check, booked as one request that paid for both', async () => {
    c.cheapAnswers.set(PROBLEM, WRONG);
    const { data: stream, response } = await c.h.client.chat.completions
      .create({ model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true, max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked-streams' } })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(assembleChunks(chunks as never).content).toBe(STRONG_ANSWER);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; /);
    // The cheap model was asked for a whole answer, not a stream.
    expect(c.cheapUpstream.requests).toHaveLength(1);
    expect(c.cheapUpstream.requests[0]!.body).toMatchObject({ stream: false });
    expect(c.cheapUpstream.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(c.strongUpstream.requests).toHaveLength(1);
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: true, cheap: { model: CHEAP, costMicros: CHEAP_MICROS } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);
  });

  it('with streams checked too, streams a cheap answer that passed, with the usage chunk when asked for', async () => {
    c.cheapAnswers.set(PROBLEM, RIGHT);
    const { data: stream, response } = await c.h.client.chat.completions
      .create(
        { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true, stream_options: { include_usage: true }, max_tokens: OUTPUT_TOKENS },
        { headers: { 'x-tollgate-policy': 'checked-streams' } },
      )
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(assembleChunks(chunks as never).content).toBe(RIGHT);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: OUTPUT_TOKENS });
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
    expect(c.strongUpstream.requests).toHaveLength(0);
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record).toMatchObject({ servedModel: CHEAP, answerCheck: { escalated: false } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
  });

  it('does not ask the strong model for a caller that has left, and books the cheap call it paid for at 499, streamed or not', async () => {
    for (const [policy, stream] of [['checked', false], ['checked-streams', true]] as const) {
      c.cheapUpstream.requests.length = 0;
      c.cheapAnswers.set(PROBLEM, WRONG);
      // The cheap model takes its time; the caller leaves once it has been asked.
      c.cheapUpstream.setFault({ hangMs: 1_500 });
      const leave = new AbortController();
      const asked = c.h.client.chat.completions.create(
        { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], max_tokens: OUTPUT_TOKENS, stream },
        { headers: { 'x-tollgate-policy': policy }, signal: leave.signal, maxRetries: 0 },
      );
      await waitFor(async () => c.cheapUpstream.requests.length === 1, 100, 20);
      leave.abort();
      await expect(asked).rejects.toThrow(/abort/i);
      const record = await waitFor(async () => (await c.ledger()).find((r) => r.status === 499 && r.policy === policy && r.answerCheck !== undefined), 100, 50);
      expect(record).toMatchObject({ servedModel: CHEAP, error: 'client closed the connection before the answer was sent' });
      expect(record.answerCheck).toMatchObject({ escalated: true, kept: 'the client closed the connection before the strong model was asked' });
      expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
      expect(c.strongUpstream.requests).toHaveLength(0);
    }
  });
});
