import type { ConditionTrace } from '../../shared/api.js';

/** json-rules-engine's Condition after a run: the rule's own fields plus what the run recorded on it. */
interface EvaluatedCondition {
  any?: EvaluatedCondition[];
  all?: EvaluatedCondition[];
  not?: EvaluatedCondition;
  condition?: string;
  fact?: unknown;
  path?: unknown;
  params?: Record<string, unknown>;
  operator?: unknown;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
}

/**
 * Turns the condition tree json-rules-engine annotated during a run (rule-result.js keeps a
 * per-run clone) into the trace shape of /v1/decide. A missing result means the engine
 * short-circuited before reaching that condition.
 */
export function conditionTrace(raw: unknown): ConditionTrace {
  const c = raw as EvaluatedCondition;
  const result = typeof c.result === 'boolean' ? c.result : null;
  // Same precedence as json-rules-engine's Condition.booleanOperator.
  if (Object.hasOwn(c, 'any')) return { kind: 'any', result, children: (c.any ?? []).map(conditionTrace) };
  if (Object.hasOwn(c, 'all')) return { kind: 'all', result, children: (c.all ?? []).map(conditionTrace) };
  if (Object.hasOwn(c, 'not')) return { kind: 'not', result, children: c.not ? [conditionTrace(c.not)] : [] };
  if (Object.hasOwn(c, 'condition')) {
    // A condition reference the engine could not resolve (resolved ones were replaced in place).
    return { kind: 'fact', fact: `condition:${String(c.condition)}`, operator: 'condition', value: c.condition, result };
  }
  return {
    kind: 'fact',
    fact: String(c.fact),
    ...(typeof c.path === 'string' && c.path ? { path: c.path } : {}),
    ...(c.params ? { params: c.params } : {}),
    operator: String(c.operator),
    value: c.value,
    ...(result === null ? {} : { factValue: c.factResult }),
    result,
  };
}
