import type { PricingTable } from '../pricing.js';
import type { Rule, RuleFile } from '../rule-file.js';
import { RuleSchema } from '../rule-file.js';
import { compile } from './compile.js';

/** One rule in the schema's key order, so two rules compare equal whatever order their keys came in. */
const canonical = (rule: Rule): string => JSON.stringify(RuleSchema.parse(rule));

/**
 * Why a rule file's `rules` are not what its `graph` compiles to (edited by hand, or written by
 * another compiler), or null when they are. The policy header (version, compiledAt) is not compared.
 */
export function ruleDrift(ruleFile: RuleFile, pricing?: PricingTable): string | null {
  const { ruleFile: compiled } = compile(ruleFile.graph, pricing ? { pricing } : {});
  if (!compiled) return 'its graph no longer compiles, so its rules cannot be what the graph shows';
  const expected = compiled.rules;
  const actual = ruleFile.rules;
  if (expected.length !== actual.length) {
    return `its rules differ from what its graph compiles to (${actual.length} rules where the graph gives ${expected.length})`;
  }
  const index = actual.findIndex((rule, i) => canonical(rule) !== canonical(expected[i]!));
  if (index === -1) return null;
  return `its rules differ from what its graph compiles to (rule "${actual[index]!.name}" was changed)`;
}
