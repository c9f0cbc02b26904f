import { describe, expect, it } from 'vitest';
import { countTokens } from 'gpt-tokenizer';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { ProviderError } from '../../server/providers/provider.js';
import { SimulatorProvider } from '../../server/providers/simulator-provider.js';
import { assembleChunks, collectChunks } from '../support/collect-stream.js';

const request: ChatCompletionRequest = {
  model: 'asked',
  messages: [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: 'How should I size a connection pool?' },
  ],
};
const call = { model: 'gpt-4o', timeoutMs: 1000 };

function contentOf(body: Record<string, unknown>): string {
  return (body.choices as { message: { content: string } }[])[0]!.message.content;
}

describe('SimulatorProvider', () => {
  it('answers a request for JSON with a JSON object holding the simulated answer and every key a schema requires, cut like any answer at max_tokens', async () => {
    const simulator = new SimulatorProvider();
    const object = await simulator.complete({ ...request, response_format: { type: 'json_object' } } as ChatCompletionRequest, call);
    const parsed = JSON.parse(contentOf(object.body)) as { answer: string };
    expect(parsed.answer.startsWith('[simulated gpt-4o]')).toBe(true);
    const schema = { type: 'json_schema', json_schema: { name: 'pool', schema: { type: 'object', required: ['size', 'reason'] } } };
    const keyed = JSON.parse(contentOf((await simulator.complete({ ...request, response_format: schema } as ChatCompletionRequest, call)).body)) as Record<string, unknown>;
    expect(Object.keys(keyed).sort()).toEqual(['answer', 'reason', 'size']);
    const cut = await simulator.complete({ ...request, response_format: { type: 'json_object' }, max_tokens: 5 } as ChatCompletionRequest, call);
    expect(cut.body).toMatchObject({ choices: [{ finish_reason: 'length' }] });
    expect(cut.usage?.outputTokens).toBe(5);
    expect(() => JSON.parse(contentOf(cut.body))).toThrow();
  });

  it('answers deterministically for the same model and last user message, labelled as simulated', async () => {
    const simulator = new SimulatorProvider();
    const a = await simulator.complete(request, call);
    const b = await simulator.complete(request, call);
    expect(contentOf(a.body)).toBe(contentOf(b.body));
    expect(contentOf(a.body).startsWith('[simulated gpt-4o]')).toBe(true);
    expect(a.body).toMatchObject({ object: 'chat.completion', model: 'gpt-4o', choices: [{ finish_reason: 'stop' }] });
  });

  it('answers differently for another model or another question', async () => {
    const simulator = new SimulatorProvider();
    const base = contentOf((await simulator.complete(request, call)).body);
    const otherModel = contentOf((await simulator.complete(request, { ...call, model: 'gpt-4o-mini' })).body);
    const otherQuestion = contentOf((await simulator.complete({ ...request, messages: [{ role: 'user', content: 'Something else' }] }, call)).body);
    expect(otherModel).not.toBe(base);
    expect(otherQuestion).not.toBe(base);
  });

  it('counts prompt tokens like the fact estimator and output tokens of the produced text', async () => {
    const { body, usage } = await new SimulatorProvider().complete(request, call);
    expect(usage!.inputTokens).toBe(countPromptTokens(request.messages));
    expect(usage!.outputTokens).toBe(countTokens(contentOf(body)));
    expect(usage!.outputTokens).toBeGreaterThan(20);
    expect(body).toMatchObject({ usage: { prompt_tokens: usage!.inputTokens, completion_tokens: usage!.outputTokens } });
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const { body, usage } = await new SimulatorProvider().complete({ ...request, max_tokens: 5 }, call);
    expect(usage!.outputTokens).toBe(5);
    expect(body).toMatchObject({ choices: [{ finish_reason: 'length' }] });
  });

  it('streams a role chunk, several content chunks, a finish chunk and a usage chunk that match the non-stream answer', async () => {
    const simulator = new SimulatorProvider({ chunkDelayMs: 1 });
    const { body, usage } = await simulator.complete(request, call);
    const stream = await simulator.stream(request, call);
    const chunks = await collectChunks(stream);
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant' } }] });
    expect(chunks.length).toBeGreaterThan(5);
    expect(assembleChunks(chunks)).toEqual({ content: contentOf(body), toolCalls: [], finishReason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: usage!.outputTokens } });
    expect(stream.usage()).toEqual(usage);
  });

  it('fails the configured models with the configured status, and serves the others', async () => {
    const simulator = new SimulatorProvider({ failModels: { 'gpt-4o': 503 } });
    const error = await simulator.complete(request, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true });
    await expect(simulator.stream(request, call)).rejects.toMatchObject({ status: 503 });
    await expect(simulator.complete(request, { ...call, model: 'gpt-4o-mini' })).resolves.toMatchObject({ body: { model: 'gpt-4o-mini' } });
  });

  it('times out like an upstream when its latency exceeds the call timeout', async () => {
    const simulator = new SimulatorProvider({ latencyMs: 60_000 });
    await expect(simulator.complete(request, { ...call, timeoutMs: 100 })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('stops a stream when cancelled', async () => {
    const stream = await new SimulatorProvider().stream(request, call);
    const seen: unknown[] = [];
    for await (const chunk of stream.chunks) {
      seen.push(chunk);
      stream.cancel();
    }
    expect(seen).toHaveLength(1);
    expect(stream.usage()).toBeNull();
  });
});
