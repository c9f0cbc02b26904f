import type { RuleFile } from '../../shared/rule-file.js';
import { compilePolicy } from './compiled-policy.js';
import type { PolicyEvaluator } from './evaluator.js';
import { FastEvaluator } from './fast-evaluator.js';
import { ReferenceEvaluator } from './reference-evaluator.js';

/**
 * The evaluator for one published rule file. json-rules-engine loads the file first (so a file
 * it rejects fails here, as it would at runtime); the fast path is used when it can reproduce
 * every construct in the file, the reference otherwise.
 */
export function createEvaluator(ruleFile: RuleFile): PolicyEvaluator {
  const reference = new ReferenceEvaluator(ruleFile);
  const compiled = compilePolicy(ruleFile.rules);
  return compiled.ok ? new FastEvaluator(ruleFile, compiled.policy, reference) : reference;
}

/** Why a file runs on the reference evaluator, or null when the fast path takes it (for logs and the CLI). */
export function fastPathRefusal(ruleFile: RuleFile): string | null {
  const compiled = compilePolicy(ruleFile.rules);
  return compiled.ok ? null : compiled.reason;
}
