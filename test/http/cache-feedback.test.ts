import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const faq = { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=faq' };

async function ask(content: string): Promise<{ cache: string | null; id: string }> {
  const res = await h.post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content }] }, faq);
  expect(res.status).toBe(200);
  await res.json();
  return { cache: res.headers.get('x-tollgate-cache'), id: res.headers.get('x-tollgate-request-id')! };
}

describe('feedback on a semantic cache hit', () => {
  it('a thumbs-down stops the entry that served it from answering that rewording again; a thumbs-up keeps it serving', async () => {
    expect((await ask('How do I rotate the API keys of workspace 12?')).cache).toBe('miss');
    const hit = await ask('how do i rotate the API keys of  Workspace 12');
    expect(hit.cache).toBe('hit');
    expect((await h.post('/v1/feedback', { requestId: hit.id, thumbs: 'down' })).status).toBe(200);
    expect((await ask('how do i rotate the API keys of  Workspace 12')).cache).toBe('miss');

    expect((await ask('How do I export the invoices of workspace 13?')).cache).toBe('miss');
    const liked = await ask('how do i export the invoices of  Workspace 13');
    expect(liked.cache).toBe('hit');
    expect((await h.post('/v1/feedback', { requestId: liked.id, thumbs: 'up' })).status).toBe(200);
    expect((await ask('how do i export the invoices of  Workspace 13')).cache).toBe('hit');
  });
});
