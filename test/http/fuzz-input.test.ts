import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Valid-looking chat bodies with any field replaced by arbitrary JSON, and arbitrary JSON outright. */
const chatBody = fc.oneof(
  fc.json(),
  fc.record(
    {
      model: fc.oneof(fc.constantFrom('gpt-4o', 'gpt-4o-mini', ''), fc.jsonValue()),
      messages: fc.oneof(
        fc.array(
          fc.record(
            {
              role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool'), fc.jsonValue()),
              content: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.record({ type: fc.constantFrom('text', 'image_url', 'x'), text: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
              tool_calls: fc.jsonValue(),
            },
            { requiredKeys: ['role'] },
          ),
          { maxLength: 4 },
        ),
        fc.jsonValue(),
      ),
      stream: fc.oneof(fc.boolean(), fc.jsonValue()),
      max_tokens: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.jsonValue()),
      metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
      tools: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ).map((body) => JSON.stringify(body)),
);

/** Embeddings, Responses and decide-on-any-API bodies: fields of the right names holding arbitrary JSON, or arbitrary JSON outright. */
const embeddingsBody = fc.oneof(
  fc.json(),
  fc
    .record(
      {
        model: fc.oneof(fc.constantFrom('text-embedding-3-small', 'claude-sonnet-4-20250514', ''), fc.jsonValue()),
        input: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.integer({ min: -2, max: 100_000 }), { maxLength: 4 }), fc.array(fc.array(fc.integer()), { maxLength: 3 }), fc.jsonValue()),
        dimensions: fc.oneof(fc.integer({ min: -1, max: 5000 }), fc.jsonValue()),
        encoding_format: fc.oneof(fc.constantFrom('float', 'base64', 'hex'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
);
const responsesBody = fc.oneof(
  fc.json(),
  fc
    .record(
      {
        model: fc.oneof(fc.constantFrom('gpt-4o-mini', ''), fc.jsonValue()),
        input: fc.oneof(fc.string(), fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'x'), content: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }), { maxLength: 3 }), fc.jsonValue()),
        previous_response_id: fc.oneof(fc.constantFrom('resp_0123456789abcdef0123456789abcdef', 'resp_../../x', ''), fc.string(), fc.jsonValue()),
        store: fc.oneof(fc.boolean(), fc.jsonValue()),
        instructions: fc.oneof(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((body) => JSON.stringify(body)),
);

const headers = fc.record(
  {
    'x-tollgate-tags': fc.string(),
    'x-tollgate-policy': fc.constantFrom('cost-router', 'faq-cache', 'budget-guard', 'nope', ''),
    'x-tollgate-tier': fc.string(),
  },
  { requiredKeys: [] },
);

const printable = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '')]));

describe('no input earns a 500', () => {
  for (const [path, bodies, numRuns] of [
    ['/v1/chat/completions', chatBody, 150],
    ['/v1/decide', chatBody, 150],
    ['/v1/embeddings', embeddingsBody, 100],
    ['/v1/decide?api=embeddings', embeddingsBody, 100],
    ['/v1/responses', responsesBody, 100],
    ['/v1/decide?api=responses', responsesBody, 100],
  ] as const) {
    it(`${path} answers arbitrary bodies and headers with 2xx or 4xx, in OpenAI's error shape`, async () => {
      await fc.assert(
        fc.asyncProperty(bodies, headers, async (body, hdrs) => {
          const response = await h.post(path, body, printable(hdrs));
          expect(response.status).toBeLessThan(500);
          const json = await response.json();
          if (response.status >= 400) expect(json.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
        }),
        { numRuns },
      );
    });
  }

  it('reading, listing and deleting responses by arbitrary ids and queries answers 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.record({ order: fc.string(), limit: fc.string(), after: fc.string() }, { requiredKeys: [] }), async (id, query) => {
        const path = `/v1/responses/${encodeURIComponent(id)}`;
        const search = new URLSearchParams(query).toString();
        for (const [method, url] of [['GET', path], ['GET', `${path}/input_items?${search}`], ['DELETE', path]] as const) {
          const response = await fetch(`${h.url}${url}`, { method });
          expect(response.status).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the policy API answers arbitrary graphs with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (graph) => {
        for (const path of ['/api/compile', '/api/policies/fuzz/publish', '/api/import', '/api/simulate']) {
          const response = await h.post(path, path === '/api/import' ? { ruleFile: graph } : { graph, request: graph });
          expect(response.status).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});
