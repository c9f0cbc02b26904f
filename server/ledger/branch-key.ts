import type { RuleFile } from '../../shared/rule-file.js';
import type { LedgerRecord } from './ledger-record.js';

/**
 * Groups records by the output a branch node (a split, a condition...) sent them through:
 * a record names its policy version and rule, and the rule's path says which edge left the node.
 * Records whose path does not cross the node group under ''.
 */
export function branchKey(node: string, ruleFiles: Iterable<RuleFile>): (r: LedgerRecord) => string {
  const handles = new Map<string, string>();
  for (const file of ruleFiles) {
    const edgeHandle = new Map(file.graph.edges.filter((e) => e.source === node).map((e) => [e.id, e.sourceHandle]));
    if (edgeHandle.size === 0) continue;
    for (const rule of file.rules) {
      const edge = rule.event.params.edges.find((id) => edgeHandle.has(id));
      if (edge) handles.set(`${file.policy.id}@${file.policy.version}/${rule.name}`, edgeHandle.get(edge)!);
    }
  }
  return (r) => handles.get(`${r.policy}@${r.policyVersion}/${r.rule}`) ?? '';
}
