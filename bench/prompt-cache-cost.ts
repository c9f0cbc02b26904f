/**
 * What the Prompt cache node saves (run: npx tsx bench/prompt-cache-cost.ts): 10 calls sharing a
 * ~2,900-token system prompt, each with its own question, through the real runtime and the
 * official OpenAI SDK to loopback Anthropic and OpenAI upstreams that simulate the providers'
 * prompt caches (test/support/prompt-cache-sim.ts). The caller sends the system prompt after
 * the question, as some frameworks do. Costs are the ledger's, at list prices.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { edge, node } from '../test/compiler/graph-builders.js';
import { startHarness } from '../test/http/harness.js';
import { startAnthropicUpstream } from '../test/support/anthropic-upstream.js';
import { startOpenAIUpstream } from '../test/support/openai-upstream.js';

const CALLS = 10;
const SYSTEM = Array.from({ length: 160 }, (_, i) => `Rule ${i}: refunds within ${i + 1} days need the receipt and the order number.`).join('\n');
const ROUTES = [
  { provider: 'anthropic', model: 'claude-sonnet-4-20250514' },
  { provider: 'openai', model: 'gpt-4o' },
];

const anthropic = await startAnthropicUpstream({ promptCache: { minTokens: 1024 } });
const openai = await startOpenAIUpstream({ prefixCache: { minTokens: 1024 } });
const h = await startHarness({ ANTHROPIC_BASE_URL: anthropic.url, OPENAI_BASE_URL: openai.url });

async function run(route: (typeof ROUTES)[number], promptCache: boolean): Promise<{ cost: number; saved: number }> {
  const id = `${route.provider}-${promptCache ? 'cached' : 'plain'}`;
  const nodes = [node('req', 'request'), ...(promptCache ? [node('pc', 'promptCache')] : []), node('go', 'route', { retries: 0, ...route })];
  const edges = promptCache ? [edge('req', 'next', 'pc'), edge('pc', 'next', 'go')] : [edge('req', 'next', 'go')];
  const published = await h.post(`/api/policies/${id}/publish`, { graph: { id, name: id, nodes, edges } });
  if (published.status !== 200) throw new Error(`publishing ${id} failed: ${await published.text()}`);
  const ids: string[] = [];
  for (let i = 0; i < CALLS; i++) {
    const messages = [
      { role: 'user' as const, content: `Question ${i}: can I return item ${i}?` },
      { role: 'system' as const, content: `${SYSTEM}\n(${id})` },
    ];
    const { response } = await h.client.chat.completions.create({ model: route.model, messages }, { headers: { 'x-tollgate-policy': id } }).withResponse();
    ids.push(response.headers.get('x-tollgate-request-id')!);
  }
  const day = new Date().toISOString().slice(0, 10);
  const records = (await readFile(path.join(h.dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  const mine = records.filter((r) => ids.includes(r.id));
  return { cost: mine.reduce((s, r) => s + r.costUsd, 0), saved: mine.reduce((s, r) => s + r.promptCacheSavedUsd, 0) };
}

console.log(`| route | ${CALLS} calls without the node | with it | saved | ledger promptCache category |`);
console.log('|---|---:|---:|---:|---:|');
for (const route of ROUTES) {
  const plain = await run(route, false);
  const cached = await run(route, true);
  const pct = ((plain.cost - cached.cost) / plain.cost) * 100;
  console.log(`| ${route.model} (${route.provider}) | $${plain.cost.toFixed(4)} | $${cached.cost.toFixed(4)} | ${pct.toFixed(0)}% | $${cached.saved.toFixed(4)} |`);
}
await h.close();
await anthropic.close();
await openai.close();
