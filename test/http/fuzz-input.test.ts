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
  for (const path of ['/v1/chat/completions', '/v1/decide']) {
    it(`${path} answers arbitrary bodies and headers with 2xx or 4xx, in OpenAI's error shape`, async () => {
      await fc.assert(
        fc.asyncProperty(chatBody, headers, async (body, hdrs) => {
          const response = await h.post(path, body, printable(hdrs));
          expect(response.status).toBeLessThan(500);
          const json = await response.json();
          if (response.status >= 400) expect(json.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
        }),
        { numRuns: 150 },
      );
    });
  }

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
