/**
 * `npm run bench:trim`: trims the fixed long conversations of trim-conversations.ts with each
 * strategy of the Trim node alone and all together, and prints tokens before and after (messages
 * plus tool schemas, o200k tokenizer), the share saved, whether every answer-relevant needle
 * survived, and whether the result is still a valid conversation (system first, a user turn
 * next, no tool result without its call).
 */
import type { ChatCompletionRequest } from '../shared/api.js';
import type { TrimAction } from '../shared/decision.js';
import { countPromptTokens, countTextTokens } from '../server/facts/tokens.js';
import { trimRequest } from '../server/runtime/trim-request.js';
import { benchConversations } from './trim-conversations.js';

const OFF: TrimAction = { type: 'trim', node: 'bench', maxInputTokens: 0, collapseWhitespace: false, keepLastMessages: 0, maxOutputTokens: 0 };
const WINDOW = 3000;
const STRATEGIES: { name: string; action: TrimAction }[] = [
  { name: 'whitespace', action: { ...OFF, collapseWhitespace: true } },
  { name: `history ≤ ${WINDOW} tokens`, action: { ...OFF, historyTokens: WINDOW } },
  { name: 'duplicates', action: { ...OFF, removeDuplicates: true } },
  { name: 'tool schemas', action: { ...OFF, minifyTools: true } },
  { name: 'few-shot: keep 4', action: { ...OFF, fewShotKeep: 4 } },
  { name: 'all five', action: { ...OFF, collapseWhitespace: true, removeDuplicates: true, minifyTools: true, historyTokens: WINDOW, fewShotKeep: 4 } },
  { name: `(old) maxInputTokens ${WINDOW}`, action: { ...OFF, maxInputTokens: WINDOW } },
];

function tokens(request: ChatCompletionRequest): number {
  return countPromptTokens(request.messages) + (request.tools ? countTextTokens(JSON.stringify(request.tools)) : 0);
}

function valid(request: ChatCompletionRequest): boolean {
  const rest = request.messages.filter((m) => m.role !== 'system' && m.role !== 'developer');
  if (rest[0]?.role !== 'user') return false;
  const calls = new Set<string>();
  for (const m of rest) {
    for (const call of m.tool_calls ?? []) calls.add(String(call.id));
    if (m.role === 'tool' && !calls.has(String(m.tool_call_id))) return false;
  }
  return true;
}

const rows: string[] = [];
const totals = new Map<string, { before: number; after: number; needles: number; kept: number; ms: number }>();
for (const conversation of benchConversations()) {
  const before = tokens(conversation.request);
  for (const { name, action } of STRATEGIES) {
    const started = performance.now();
    const out = trimRequest(conversation.request, action, countPromptTokens(conversation.request.messages));
    const ms = performance.now() - started;
    const after = tokens(out.request);
    const text = out.request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    const kept = conversation.needles.filter((n) => text.includes(n)).length;
    const total = totals.get(name) ?? { before: 0, after: 0, needles: 0, kept: 0, ms: 0 };
    totals.set(name, { before: total.before + before, after: total.after + after, needles: total.needles + conversation.needles.length, kept: total.kept + kept, ms: total.ms + ms });
    const saved = ((before - after) / before) * 100;
    rows.push(`| ${conversation.name} | ${name} | ${before} | ${after} | ${saved.toFixed(1)}% | ${kept}/${conversation.needles.length} | ${valid(out.request) ? 'yes' : 'NO'} | ${ms.toFixed(1)} |`);
  }
}

console.log('# Trim node on long conversations\n');
for (const c of benchConversations()) console.log(`- **${c.name}**: ${c.what}; ${c.request.messages.length} messages`);
console.log('\n| conversation | strategy | tokens before | after | saved | needles kept | valid | ms |');
console.log('|---|---|---:|---:|---:|---:|---|---:|');
for (const row of rows) console.log(row);
console.log('\n| strategy (all conversations) | tokens before | after | saved | needles kept | ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, t] of totals) {
  console.log(`| ${name} | ${t.before} | ${t.after} | ${(((t.before - t.after) / t.before) * 100).toFixed(1)}% | ${t.kept}/${t.needles} | ${t.ms.toFixed(1)} |`);
}
