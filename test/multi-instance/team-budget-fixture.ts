import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Graph } from '../../shared/graph.js';
import { countPromptTokens } from '../../server/facts/tokens.js';

/**
 * One metered request for the multi-instance budget tests: a loopback upstream charging $1 per
 * million tokens in and out, PROMPT + OUTPUT = 1,000 tokens, so $0.001 a request, which is also
 * what admission reserves (max_tokens = OUTPUT). A budget of $0.01 is ten requests.
 */
export const REQUEST_MICROS = 1000;
export const messages = [{ role: 'user' as const, content: 'Summarise the quarterly report in three bullet points.' }];
export const PROMPT = countPromptTokens(messages);
export const OUTPUT = REQUEST_MICROS - PROMPT;

/** A daily per-team budget in front of one route; over it, a 429. */
export const teamBudgetGraph = (limitUsd: number): Graph =>
  ({
    id: 'team-budget',
    name: 'Team budget',
    version: 1,
    nodes: [
      { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
      { id: 'budget', kind: 'budget', label: 'Team budget', position: { x: 200, y: 0 }, params: { scope: 'tag:team', limitUsd, window: 'day', thresholdPct: 100 } },
      { id: 'refuse', kind: 'block', label: 'Refuse', position: { x: 400, y: -100 }, params: { status: 429, message: 'Team budget spent.' } },
      { id: 'go', kind: 'route', label: 'Go', position: { x: 400, y: 100 }, params: { model: 'metered-mini', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
    ],
    edges: [
      { id: 'request.next', source: 'request', sourceHandle: 'next', target: 'budget' },
      { id: 'budget.over', source: 'budget', sourceHandle: 'over', target: 'refuse' },
      { id: 'budget.ok', source: 'budget', sourceHandle: 'ok', target: 'go' },
    ],
  }) as Graph;

/** A pricing file with `metered-mini` at $1 per million tokens either way; its folder, to remove after. */
export async function meteredPricing(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  const file = path.join(dir, 'pricing.json');
  await writeFile(file, JSON.stringify({ models: { 'metered-mini': { provider: 'openai', input: 1, output: 1 } } }));
  return { dir, file };
}
