import { compile } from '../shared/compiler/compile.js';
import type { GraphInput } from '../shared/graph.js';
import type { RequestFacts } from '../shared/facts.js';
import type { Condition, RuleFile } from '../shared/rule-file.js';
import type { DynamicFactResolver } from '../server/engine/evaluator.js';

type NodeInput = GraphInput['nodes'][number];
type EdgeInput = GraphInput['edges'] extends (infer E)[] | undefined ? E : never;

export interface RuleSetShape {
  /** Cases of the switch on `tags.team`; each team gets its own rate limit and condition chain. */
  teams: number;
  /** Conditions chained per team; each one's true side ends in its own route. */
  depth: number;
}

export interface BenchRuleSet {
  label: string;
  ruleFile: RuleFile;
  ruleCount: number;
  /** Fact tests summed over all rules: what an engine that tries every rule has to evaluate. */
  conditionCount: number;
}

const TEAMS = ['search', 'support', 'research', 'legal', 'growth', 'ads', 'mobile', 'web', 'data', 'infra', 'sales', 'billing', 'trust', 'docs', 'hr', 'ops', 'qa', 'design', 'risk', 'labs'];

/** The tests a team's chain asks in turn, each sending matches to a pricier (or more capable) model. */
const CHAIN = [
  { test: { fact: 'complexity', operator: 'equal', value: 'complex' }, model: 'gpt-4o', fallback: 'claude-sonnet-4-20250514' },
  { test: { fact: 'promptTokens', operator: 'greaterThan', value: 4000 }, model: 'gpt-4.1-mini', fallback: 'claude-3-5-haiku-20241022' },
  { test: { fact: 'hasTools', operator: 'equal', value: true }, model: 'gpt-4.1', fallback: 'gpt-4o' },
  { test: { fact: 'taskType', operator: 'in', value: ['code', 'math'] }, model: 'o3-mini', fallback: 'gpt-4.1' },
  { test: { fact: 'estimatedCostUsd', operator: 'greaterThan', value: 0.01 }, model: 'gpt-4.1-mini', fallback: 'gpt-4o-mini' },
  { test: { fact: 'messageCount', operator: 'greaterThan', value: 12 }, model: 'gpt-4.1-nano', fallback: 'gpt-4o-mini' },
] as const;

const node = (id: string, kind: NodeInput['kind'], params: Record<string, unknown> = {}): NodeInput => ({ id, kind, label: id, position: { x: 0, y: 0 }, params });
const edge = (source: string, sourceHandle: string, target: string): EdgeInput => ({ id: `${source}.${sourceHandle}`, source, sourceHandle, target });

/**
 * A policy shaped like the ones product owners draw: a global budget that degrades when spent,
 * a switch on the team tag, per team a rate limit, an attribution tag and a chain of conditions
 * routing to models with fallbacks, and a cached cheap route at the end of each chain.
 * Rules: 2 + teams × (depth + 2).
 */
export function benchGraph(shape: RuleSetShape): GraphInput {
  if (shape.teams > TEAMS.length || shape.depth > CHAIN.length) throw new Error(`rule set shape too large: ${JSON.stringify(shape)}`);
  const nodes: NodeInput[] = [
    node('request', 'request'),
    node('budget', 'budget', { scope: 'global', limitUsd: 500, window: 'day', thresholdPct: 95 }),
    node('degrade', 'degrade', { mode: 'model', model: 'gpt-4o-mini' }),
    node('by-team', 'switch', {
      fact: 'tags',
      path: 'team',
      cases: TEAMS.slice(0, shape.teams).map((team) => ({ operator: 'equal', value: team, label: team })),
    }),
    node('route-default', 'route', { model: 'gpt-4o-mini' }),
  ];
  const edges: EdgeInput[] = [
    edge('request', 'next', 'budget'),
    edge('budget', 'over', 'degrade'),
    edge('budget', 'ok', 'by-team'),
    edge('by-team', 'default', 'route-default'),
  ];
  TEAMS.slice(0, shape.teams).forEach((team, t) => {
    const limit = `${team}-rate`;
    nodes.push(
      node(limit, 'rateLimit', { scope: 'tag:team', rpm: 600 + t, tpm: 0 }),
      node(`${team}-limited`, 'block', { status: 429, message: `Team ${team} is over its rate limit.` }),
      node(`${team}-tag`, 'tag', { tags: { costCenter: `cc-${team}` } }),
    );
    edges.push(edge('by-team', `case${t}`, limit), edge(limit, 'limited', `${team}-limited`), edge(limit, 'ok', `${team}-tag`));
    let from = `${team}-tag`;
    let handle = 'next';
    CHAIN.slice(0, shape.depth).forEach((step, d) => {
      const condition = `${team}-c${d}`;
      const route = `${team}-r${d}`;
      const fallback = `${team}-r${d}-fb`;
      nodes.push(
        node(condition, 'condition', { match: 'all', tests: [step.test] }),
        node(route, 'route', { model: step.model, retries: 1 }),
        node(fallback, 'route', { model: step.fallback, retries: 0 }),
      );
      edges.push(edge(from, handle, condition), edge(condition, 'true', route), edge(route, 'onError', fallback));
      from = condition;
      handle = 'false';
    });
    nodes.push(node(`${team}-cache`, 'cache', { mode: 'exact', ttlSeconds: 600 }), node(`${team}-cheap`, 'route', { model: 'gpt-4o-mini' }));
    edges.push(edge(from, handle, `${team}-cache`), edge(`${team}-cache`, 'next', `${team}-cheap`));
  });
  return { id: `bench-${shape.teams}x${shape.depth}`, name: `Bench ${shape.teams} teams × ${shape.depth}`, nodes, edges };
}

function leafCount(condition: Condition): number {
  if ('all' in condition) return condition.all.reduce((n, c) => n + leafCount(c), 0);
  if ('any' in condition) return condition.any.reduce((n, c) => n + leafCount(c), 0);
  if ('not' in condition) return leafCount(condition.not);
  return 1;
}

export function benchRuleSet(label: string, shape: RuleSetShape): BenchRuleSet {
  const { ruleFile, diagnostics, ruleCount } = compile(benchGraph(shape));
  if (!ruleFile) throw new Error(`bench graph ${label} does not compile: ${JSON.stringify(diagnostics)}`);
  const conditionCount = ruleFile.rules.reduce((n, rule) => n + leafCount(rule.conditions), 0);
  return { label, ruleFile, ruleCount, conditionCount };
}

/** The two sizes the issue names: about 10 and about 100 rules. */
export function standardRuleSets(): BenchRuleSet[] {
  return [benchRuleSet('10 rules', { teams: 2, depth: 2 }), benchRuleSet('100 rules', { teams: 14, depth: 5 })];
}

const BASE_FACTS: RequestFacts = {
  model: 'gpt-4o-mini',
  provider: 'openai',
  promptTokens: 180,
  maxTokens: 0,
  messageCount: 2,
  hasTools: false,
  hasImages: false,
  stream: false,
  tags: {},
  user: 'u-1',
  serviceKey: 'key_0123456789ab',
  tier: 'standard',
  taskType: 'chat',
  complexity: 'simple',
  hour: 14,
  weekday: 'tue',
  estimatedCostUsd: 0.00003,
};

/**
 * Requests spread over the teams (later teams reach deeper rules, the slow case for a
 * priority-ordered engine), an unknown team and no team, and over the tested facts.
 */
export function benchRequests(): RequestFacts[] {
  const teams = [...TEAMS.slice(0, 16), 'unknown', ''];
  const variants: Partial<RequestFacts>[] = [
    {},
    { complexity: 'complex', taskType: 'creative', promptTokens: 900 },
    { promptTokens: 5200, messageCount: 6, estimatedCostUsd: 0.0008 },
    { hasTools: true, taskType: 'extract' },
    { taskType: 'code', complexity: 'moderate' },
    { estimatedCostUsd: 0.02, maxTokens: 4000, model: 'gpt-4o' },
    { messageCount: 20, promptTokens: 2400 },
  ];
  return teams.flatMap((team, t) => {
    const tags: Record<string, string> = team ? { team, env: 'prod' } : { env: 'prod' };
    return variants.map((variant, v): RequestFacts => ({ ...BASE_FACTS, ...variant, tags, user: `u-${t * 7 + v}` }));
  });
}

/** Fixed dynamic fact values: budget well under its threshold, nobody rate limited, providers healthy. */
export const DYNAMIC_VALUES: Readonly<Record<string, unknown>> = { budgetUsedPct: 42, rateLimited: false, providerHealthy: true, splitBucket: 37 };

export const fixedResolver: DynamicFactResolver = (fact) => DYNAMIC_VALUES[fact];
