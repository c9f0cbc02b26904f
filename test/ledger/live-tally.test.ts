import { describe, expect, it } from 'vitest';
import { addNode, blankGraph, connect, updateNode } from '../../editor/src/state/graph-ops.js';
import { compile } from '../../shared/compiler/compile.js';
import { usdToMicros } from '../../shared/cost.js';
import type { Graph } from '../../shared/graph.js';
import { defaultParams } from '../../shared/nodes/index.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { DayRollup } from '../../server/ledger/day-rollup.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { LiveTally, type LiveTallyOptions } from '../../server/ledger/live-tally.js';
import { scopeKey } from '../../server/limits/scope-key.js';
import { ledgerRecord } from './record-fixture.js';

/** Request → budget (per team, $5 a day) → ok: "Big", over: "Small". */
function budgetPolicy(): Graph {
  let graph = blankGraph('spend', 'Spend');
  const budget = addNode(graph, 'budget', { x: 200, y: 0 });
  const big = addNode(budget.graph, 'route', { x: 400, y: 0 });
  const small = addNode(big.graph, 'route', { x: 400, y: 200 });
  graph = updateNode(small.graph, budget.id, { params: { ...defaultParams('budget'), limitUsd: 5 } });
  graph = updateNode(graph, big.id, { label: 'Big', params: { ...defaultParams('route'), model: 'gpt-4o' } });
  graph = updateNode(graph, small.id, { label: 'Small' });
  graph = connect(graph, { source: 'request', sourceHandle: 'next', target: budget.id });
  graph = connect(graph, { source: budget.id, sourceHandle: 'ok', target: big.id });
  return connect(graph, { source: budget.id, sourceHandle: 'over', target: small.id });
}

function ruleFileOf(graph: Graph, version: number): RuleFile {
  const file = compile({ ...graph, version }).ruleFile;
  if (!file) throw new Error('the test policy must compile');
  return file;
}

/** The fixture records' day. */
const NOW = Date.parse('2025-03-10T18:00:00.000Z');

/** Records folded by the day's rollup, as the runtime books them, then tallied. */
function tallyOf(options: LiveTallyOptions, records: LedgerRecord[]): LiveTally {
  const rollup = new DayRollup();
  for (const record of records) rollup.add(record);
  const tally = new LiveTally(options);
  for (const policy of new Set(records.map((r) => r.policy))) for (const row of rollup.rows(policy, NOW)) tally.add(row);
  return tally;
}

const nodeId = (graph: Graph, label: string) => graph.nodes.find((n) => n.label === label)!.id;
const ruleTo = (file: RuleFile, node: string) => file.rules.find((r) => r.event.params.path.at(-1) === node)!.name;

describe('LiveTally', () => {
  const v1 = budgetPolicy();
  const file1 = ruleFileOf(v1, 1);
  // Version 2 renames the routes, so its rules have other names than version 1's.
  const v2 = updateNode(updateNode(v1, nodeId(v1, 'Big'), { label: 'Large' }), nodeId(v1, 'Small'), { label: 'Tiny' });
  const file2 = ruleFileOf(v2, 2);
  const big = nodeId(v1, 'Big');
  const small = nodeId(v1, 'Small');
  const budget = v1.nodes.find((n) => n.kind === 'budget')!.id;

  it('counts each record on the nodes of its own version’s path, and ignores other policies and refusals without a rule', () => {
    expect(ruleTo(file1, big)).not.toBe(ruleTo(file2, big));
    const tally = tallyOf({ graph: file2.graph, ruleFile: (v) => (v === 1 ? file1 : v === 2 ? file2 : undefined) }, [
      ledgerRecord({ policy: 'spend', policyVersion: 1, rule: ruleTo(file1, big), costUsd: 0.25, costMicros: 250_000, tags: { team: 'research' } }),
      ledgerRecord({ policy: 'spend', policyVersion: 2, rule: ruleTo(file2, big), costUsd: 0.5, costMicros: 500_000, tags: { team: 'ads' }, cache: 'hit' }),
      ledgerRecord({ policy: 'spend', policyVersion: 2, rule: ruleTo(file2, small), costUsd: 0.1, costMicros: 100_000, tags: { team: 'research' }, cache: 'bypass' }),
      ledgerRecord({ policy: 'other', policyVersion: 2, rule: ruleTo(file2, big) }),
      ledgerRecord({ policy: 'spend', policyVersion: 2, rule: null }),
      ledgerRecord({ policy: 'spend', policyVersion: 7, rule: 'gone' }),
    ]);
    const asked: string[] = [];
    const nodes = tally.result((params, subject) => {
      const key = scopeKey(params.scope, subject);
      asked.push(key);
      return { key, usedMicros: key === 'tag:team=research' ? 4_000_000 : 1_000_000, limitMicros: usdToMicros(params.limitUsd) };
    });
    expect(nodes[big]).toMatchObject({ requests: 2, costUsd: 0.75, cacheLookups: 2, cacheHits: 1 });
    expect(nodes[small]).toMatchObject({ requests: 1, costUsd: 0.1, cacheLookups: 0, cacheHits: 0 });
    expect(nodes[budget]).toMatchObject({ requests: 3, scopesSeen: 2 });
    expect(nodes[budget]!.budgets).toEqual([
      { key: 'tag:team=research', usedUsd: 4, limitUsd: 5 },
      { key: 'tag:team=ads', usedUsd: 1, limitUsd: 5 },
    ]);
    expect(asked.sort()).toEqual(['tag:team=ads', 'tag:team=research']);
    expect(nodes.request).toBeUndefined();
  });

  it('counts a request a fallback answered on that fallback route, not on the route that failed over to it', () => {
    const added = addNode(v1, 'route', { x: 600, y: 0 });
    const withFallback = connect(updateNode(added.graph, added.id, { label: 'Backup', params: { ...defaultParams('route'), model: 'claude-3-5-haiku-20241022' } }), {
      source: big,
      sourceHandle: 'onError',
      target: added.id,
    });
    const file = ruleFileOf(withFallback, 3);
    const rule = ruleTo(file, big);
    const tally = tallyOf({ graph: file.graph, ruleFile: () => file }, [
      ledgerRecord({ policy: 'spend', policyVersion: 3, rule, servedModel: 'gpt-4o' }),
      ledgerRecord({ policy: 'spend', policyVersion: 3, rule, servedModel: 'claude-3-5-haiku-20241022', costUsd: 0.2, costMicros: 200_000 }),
      ledgerRecord({ policy: 'spend', policyVersion: 3, rule, servedModel: null, status: 502 }),
    ]);
    const nodes = tally.result(({ scope }, subject) => ({ key: scopeKey(scope, subject), usedMicros: 0, limitMicros: 5_000_000 }));
    expect(nodes[big]!.requests).toBe(2);
    expect(nodes[added.id]).toMatchObject({ requests: 1, costUsd: 0.2 });
    expect(nodes[budget]!.requests).toBe(3);
  });

  it('lists no scopes for a budget nothing went through today', () => {
    const nodes = new LiveTally({ graph: file1.graph, ruleFile: () => file1 }).result(() => {
      throw new Error('no scope was seen, so none is asked for');
    });
    expect(nodes[budget]).toEqual({ requests: 0, costUsd: 0, cacheLookups: 0, cacheHits: 0, budgets: [], scopesSeen: 0 });
  });
});
