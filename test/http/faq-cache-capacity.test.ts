import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const faq = { 'x-tollgate-policy': 'faq-cache', 'x-tollgate-tags': 'feature=faq' };
const TOPICS = ['billing', 'exports', 'alerts', 'webhooks', 'single sign-on', 'audit logs', 'quotas', 'invoices'];
const question = (i: number) => `How do I set up the ${TOPICS[i % TOPICS.length]} for workspace ${i}?`;
/** The same question typed differently: lower case, no question mark, extra spaces. */
const paraphrase = (i: number) => `how do i set up the   ${TOPICS[i % TOPICS.length]} for Workspace ${i}`;

async function ask(content: string): Promise<string | null> {
  const res = await h.post('/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content }] }, faq);
  expect(res.status).toBe(200);
  await res.json();
  return res.headers.get('x-tollgate-cache');
}

async function inBatches(count: number, run: (i: number) => Promise<string | null>): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let start = 0; start < count; start += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, count - start) }, (_, j) => run(start + j)))));
  return out;
}

describe('the FAQ cache at capacity', () => {
  it('answers 500 reworded questions from 500 stored ones through the HTTP server', async () => {
    const first = await inBatches(500, (i) => ask(question(i)));
    expect(first.every((c) => c === 'miss')).toBe(true);
    const second = await inBatches(500, (i) => ask(paraphrase(i)));
    expect(second.filter((c) => c === 'hit').length).toBe(500);
  });
});
