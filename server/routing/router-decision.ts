import type { Condition, FactCondition, TopLevelCondition } from '../../shared/condition.js';
import type { RequestFacts } from '../../shared/facts.js';
import { NODE_SPECS } from '../../shared/nodes/index.js';
import { RouterFactParamsSchema, SmartRouteParamsSchema, type RouterFactParams } from '../../shared/nodes/smart-route.js';
import type { Rule, RuleFile } from '../../shared/rule-file.js';
import { promptTextOf } from '../facts/prompt-text.js';
import { requestRouterScore } from './router-fact.js';
import { promptShape } from './router-features.js';
import { pointKey, type RouterRef } from './router-ref.js';

const FACT = 'routerScore';

interface RuleRouting {
  node: string;
  params: RouterFactParams;
  qualityTarget: number;
  branch: RouterRef['branch'];
}

/** Rules are immutable per published version, so what a rule says about the router is worked out once. */
const byRule = new WeakMap<Rule, RuleRouting | null>();

/** Which learned-router branch a matched rule took, with the prompt's score: null for rules that pass no learned router. */
export function routerRefOf(options: { ruleFile: RuleFile; rule: Rule; facts: RequestFacts }): RouterRef | null {
  const { rule, facts } = options;
  let routing = byRule.get(rule);
  if (routing === undefined) {
    routing = ruleRouting(options.ruleFile, rule);
    byRule.set(rule, routing);
  }
  if (!routing) return null;
  const text = promptTextOf(facts);
  return {
    node: routing.node,
    point: pointKey(routing.params),
    qualityTarget: routing.qualityTarget,
    branch: routing.branch,
    shape: promptShape(text),
    taskType: facts.taskType,
    score: requestRouterScore(facts),
  };
}

/** The routerScore conditions of a rule (the last is the router nearest the route when several are chained). */
export function routerConditions(condition: TopLevelCondition | Condition): FactCondition[] {
  if ('fact' in condition) return condition.fact === FACT ? [condition] : [];
  if ('all' in condition) return condition.all.flatMap(routerConditions);
  if ('any' in condition) return condition.any.flatMap(routerConditions);
  return [];
}

function ruleRouting(ruleFile: RuleFile, rule: Rule): RuleRouting | null {
  const condition = routerConditions(rule.conditions).at(-1);
  const params = condition ? RouterFactParamsSchema.safeParse(condition.params) : null;
  if (!condition || !params?.success) return null;
  const nodes = new Map(ruleFile.graph.nodes.map((n) => [n.id, n]));
  const node = rule.event.params.path
    .map((id) => nodes.get(id))
    .filter((n) => n !== undefined && NODE_SPECS[n.kind].fact?.name === FACT)
    .at(-1);
  if (!node) return null;
  const nodeParams = SmartRouteParamsSchema.safeParse(node.params);
  return {
    node: node.id,
    params: params.data,
    qualityTarget: nodeParams.success ? nodeParams.data.qualityTarget : 95,
    branch: condition.operator === 'greaterThanInclusive' ? 'strong' : 'cheap',
  };
}
