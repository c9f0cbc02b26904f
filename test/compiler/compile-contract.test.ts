import { describe, expect, it } from 'vitest';
import { compile } from '../../shared/compiler/compile.js';
import { RuleFileSchema, serializeRuleFile } from '../../shared/rule-file.js';
import { readGraph, FIXTURES, graphFixtures } from './golden-files.js';
import { edge, exponentialGraph, node } from './graph-builders.js';

describe('compile contract', () => {
  for (const name of graphFixtures(FIXTURES)) {
    it(`${name}: the graph inside the rule file recompiles to the identical file`, () => {
      const first = compile(readGraph(FIXTURES, name)).ruleFile!;
      const again = compile(JSON.parse(serializeRuleFile(first)).graph).ruleFile!;
      expect(serializeRuleFile(again)).toBe(serializeRuleFile(first));
    });

    it(`${name}: priorities are unique and strictly decreasing`, () => {
      const priorities = compile(readGraph(FIXTURES, name)).ruleFile!.rules.map((r) => r.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
      expect(new Set(priorities).size).toBe(priorities.length);
      expect(Math.min(...priorities)).toBe(1);
    });
  }

  it('ignores node positions and key order in the output rules', () => {
    const graph = readGraph(FIXTURES, 'cost-router') as { nodes: { position: { x: number } }[] };
    const moved = structuredClone(graph);
    moved.nodes.forEach((n, i) => (n.position.x += i * 13));
    expect(compile(moved).ruleFile!.rules).toEqual(compile(graph).ruleFile!.rules);
  });

  it('fills param defaults into the stored graph, so a half-specified node still round-trips', () => {
    const { ruleFile } = compile({ id: 'p', name: 'p', nodes: [node('req', 'request'), node('r', 'route', {})], edges: [edge('req', 'next', 'r')] });
    expect(ruleFile!.graph.nodes[1]!.params).toEqual({ model: 'gpt-4o-mini', provider: 'auto', timeoutMs: 30000, retries: 1, backoffMs: 250 });
  });

  it('puts the actions met on the path in order, the terminal last, with its fallback chain', () => {
    const { ruleFile } = compile({
      id: 'p',
      name: 'p',
      nodes: [
        node('req', 'request'),
        node('t', 'tag', { tags: { team: 'x' } }),
        node('c', 'cache', {}),
        node('r1', 'route', { model: 'gpt-4o' }),
        node('r2', 'route', { model: 'gpt-4o-mini' }),
        node('r3', 'route', { model: 'claude-3-5-haiku-20241022' }),
      ],
      edges: [edge('req', 'next', 't'), edge('t', 'next', 'c'), edge('c', 'next', 'r1'), edge('r1', 'onError', 'r2'), edge('r2', 'onError', 'r3')],
    });
    const [rule] = ruleFile!.rules;
    expect(rule!.event.params.actions.map((a) => a.type)).toEqual(['tag', 'cache', 'route']);
    const route = rule!.event.params.actions[2]!;
    expect(route.type === 'route' && route.fallbacks.map((f) => f.model)).toEqual(['gpt-4o-mini', 'claude-3-5-haiku-20241022']);
    expect(rule!.event.params.path).toEqual(['req', 't', 'c', 'r1']);
  });

  it('warns with the rule count when shared branches multiply paths', () => {
    const result = compile(exponentialGraph(8));
    expect(result.ruleCount).toBe(256);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['TG011']);
    expect(result.diagnostics[0]!.message).toContain('256 rules');
  });

  it('refuses a graph that explodes past the rule limit', () => {
    const result = compile(exponentialGraph(12));
    expect(result.ruleFile).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain('TG014');
  });

  it('switch cases exclude earlier cases, so the first matching case wins', () => {
    const { ruleFile } = compile({
      id: 'p',
      name: 'p',
      nodes: [
        node('req', 'request'),
        node('s', 'switch', { fact: 'promptTokens', cases: [{ operator: 'lessThan', value: 100 }, { operator: 'lessThan', value: 1000 }] }),
        node('a', 'route', {}),
        node('b', 'route', {}),
        node('c', 'route', {}),
      ],
      edges: [edge('req', 'next', 's'), edge('s', 'case0', 'a'), edge('s', 'case1', 'b'), edge('s', 'default', 'c')],
    });
    expect(ruleFile!.rules[1]!.conditions).toEqual({
      all: [
        { fact: 'promptTokens', operator: 'lessThan', value: 1000 },
        { not: { any: [{ fact: 'promptTokens', operator: 'lessThan', value: 100 }] } },
      ],
    });
  });
});

describe('rule file schema', () => {
  for (const name of graphFixtures(FIXTURES)) {
    it(`${name}: parsing with RuleFileSchema keeps the bytes (key order is the schema's)`, () => {
      const text = serializeRuleFile(compile(readGraph(FIXTURES, name)).ruleFile!);
      expect(serializeRuleFile(RuleFileSchema.parse(JSON.parse(text)))).toBe(text);
    });
  }
});
