import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';

const graph = {
  id: 'lean',
  name: 'Lean prompts',
  nodes: [
    node('req', 'request'),
    node('trim', 'trim', { maxInputTokens: 0, collapseWhitespace: false, historyTokens: 400, removeDuplicates: true, minifyTools: true }),
    node('go', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 }),
  ],
  edges: [edge('req', 'next', 'trim'), edge('trim', 'next', 'go')],
};

let upstream: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' });
  expect((await h.post('/api/policies/lean/publish', { graph })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

describe('the Trim node’s token strategies, through the official OpenAI SDK', () => {
  it('sends the provider the system prompt, the latest whole turns, one copy of a repeated document and minified tool schemas', async () => {
    const doc = 'Clause 7.2: a damaged parcel may be returned within 45 days of delivery, with photos of the damage and the original label. '.repeat(3);
    const messages = [
      { role: 'system' as const, content: 'Answer in French.' },
      ...Array.from({ length: 30 }, (_, i) => [
        { role: 'user' as const, content: `old question ${i} ${'filler '.repeat(30)}` },
        { role: 'assistant' as const, content: `old answer ${i}` },
      ]).flat(),
      { role: 'user' as const, content: `${doc}\n\nWhat is the return window?` },
      { role: 'assistant' as const, content: '45 days.' },
      { role: 'user' as const, content: `${doc}\n\nAnd does it need photos?` },
    ];
    const tools = [{ type: 'function' as const, function: { name: 'open_ticket', description: '  Opens   a ticket. ', parameters: { title: 'OpenTicket', type: 'object', properties: { title: { title: 'Title', type: 'string' } } } } }];
    const { data } = await h.client.chat.completions.create({ model: 'gpt-4o', messages, tools }, { headers: { 'x-tollgate-policy': 'lean' } }).withResponse();
    expect(data.choices[0]!.message.content).toContain('And does it need photos?');

    const sent = upstream.requests.at(-1)!.body as { messages: { role: string; content: string }[]; tools: unknown[] };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'Answer in French.' });
    expect(sent.messages[1]!.role).toBe('user');
    expect(sent.messages.length).toBeLessThan(messages.length / 2);
    expect(sent.messages.at(-1)!.content).toContain('45 days of delivery');
    expect(sent.messages.filter((m) => m.content.includes('45 days of delivery'))).toHaveLength(1);
    expect(sent.tools).toEqual([{ type: 'function', function: { name: 'open_ticket', description: 'Opens a ticket.', parameters: { type: 'object', properties: { title: { type: 'string' } } } } }]);
  });

  it('rejects a negative token window with the field named', async () => {
    const bad = { ...graph, id: 'lean-bad', nodes: graph.nodes.map((n) => (n.id === 'trim' ? { ...n, params: { ...n.params, historyTokens: -5 } } : n)) };
    const response = await h.post('/api/policies/lean-bad/publish', { graph: bad });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('historyTokens');
  });
});
