import { Engine } from 'json-rules-engine';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule } from '../../shared/rule-file.js';
import { DYNAMIC_FACTS } from '../../server/engine/dynamic-facts.js';
import type { DynamicFactResolver } from '../../server/engine/evaluator.js';

export interface OracleOutcome {
  /** The decision: highest-priority successful rule, ties to the earlier rule in the file. */
  decision: string | null;
  /** Names of every rule json-rules-engine found successful. */
  successes: Set<string>;
}

/**
 * The reference built straight from json-rules-engine, independent of server/engine: a fresh
 * Engine per run over a deep copy of the rules (the engine rewrites condition priorities in
 * place), dynamic facts registered as plain engine facts.
 */
export async function runJsonRulesEngine(rules: Rule[], facts: RequestFacts, resolve: DynamicFactResolver): Promise<OracleOutcome> {
  const engine = new Engine(structuredClone(rules), { allowUndefinedFacts: true });
  for (const fact of DYNAMIC_FACTS) engine.addFact(fact, (params: Record<string, unknown>) => resolve(fact, params, facts));
  const { results } = await engine.run({ ...facts });
  const index = (name: string) => rules.findIndex((rule) => rule.name === name);
  const best = [...results].sort((a, b) => (b.priority ?? 1) - (a.priority ?? 1) || index(a.name) - index(b.name))[0];
  return { decision: best ? best.name : null, successes: new Set(results.map((r) => r.name)) };
}
