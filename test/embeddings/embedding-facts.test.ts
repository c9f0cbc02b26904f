import { describe, expect, it } from 'vitest';
import { EmbeddingsRequestSchema, embeddingInputs } from '../../shared/embeddings-api.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import { embeddingFacts, embeddingsAsChat } from '../../server/embeddings/embedding-facts.js';
import { countTextTokens } from '../../server/facts/tokens.js';
import { simulatedEmbeddings } from '../../server/providers/simulator-embeddings.js';

const caller = { tags: { team: 'search' }, serviceKey: 'key_a', user: '', tier: '' };
const context = { caller, pricing: DEFAULT_PRICING, now: new Date('2026-12-07T12:00:00Z') };
const parse = (body: Record<string, unknown>) => EmbeddingsRequestSchema.parse({ model: 'text-embedding-3-small', ...body });

describe('an embeddings call as the policy reads it', () => {
  it('counts every input’s tokens (a token array its length), asks no output, and prices the input alone', () => {
    const texts = ['The quarterly report is due.', 'Revenue grew by ten percent.'];
    const facts = embeddingFacts(parse({ input: texts }), context);
    const tokens = texts.reduce((n, t) => n + countTextTokens(t), 0);
    expect(facts).toMatchObject({ model: 'text-embedding-3-small', provider: 'openai', promptTokens: tokens, maxTokens: 0, messageCount: 2, stream: false, tags: { team: 'search' }, serviceKey: 'key_a' });
    expect(facts.estimatedCostUsd).toBeCloseTo((tokens * 0.02) / 1e6, 12);
    expect(embeddingFacts(parse({ input: [[1, 2, 3], [4, 5]] }), context)).toMatchObject({ promptTokens: 5, messageCount: 2 });
    expect(embeddingInputs(parse({ input: [7, 8, 9] }))).toEqual([[7, 8, 9]]);
  });

  it('stands for the call as one user turn of the start of its texts', () => {
    expect(embeddingsAsChat(parse({ input: ['a', 'b'], user: 'u1' }))).toEqual({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'a\nb' }], user: 'u1' });
    const long = embeddingsAsChat(parse({ input: Array(100).fill('x'.repeat(100)) }));
    expect((long.messages[0]!.content as string).length).toBe(4000);
  });

  it('refuses inputs OpenAI refuses', () => {
    for (const input of ['', [], [''], [[]], Array(2049).fill('x'), [1.5]]) expect(EmbeddingsRequestSchema.safeParse({ model: 'm', input }).success).toBe(false);
  });
});

describe('the simulator’s embeddings', () => {
  it('are deterministic, of the size asked, normalised, closer for texts that share words, and the same in base64', () => {
    const request = parse({ input: ['How do I reset my password?', 'How can I reset my password?', 'What is the capital of France?'], dimensions: 64, encoding_format: 'float' });
    const { body, promptTokens } = simulatedEmbeddings(request, 'text-embedding-3-small');
    const vectors = (body.data as { embedding: number[] }[]).map((d) => d.embedding);
    expect(vectors.map((v) => v.length)).toEqual([64, 64, 64]);
    const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(vectors[0]!, vectors[0]!)).toBeCloseTo(1, 5);
    expect(dot(vectors[0]!, vectors[1]!)).toBeGreaterThan(dot(vectors[0]!, vectors[2]!));
    expect(body.usage).toEqual({ prompt_tokens: promptTokens, total_tokens: promptTokens });
    expect(simulatedEmbeddings(request, 'text-embedding-3-small').body).toEqual(body);
    const base64 = simulatedEmbeddings({ ...request, encoding_format: 'base64' }, 'text-embedding-3-small').body.data as { embedding: string }[];
    const bytes = Buffer.from(base64[0]!.embedding, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    expect(decoded).toEqual(vectors[0]);
    expect((simulatedEmbeddings(parse({ input: 'hi' }), 'text-embedding-3-large').body.data as { embedding: number[] }[])[0]!.embedding).toHaveLength(3072);
  });
});
