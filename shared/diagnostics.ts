/**
 * The compiler's error catalogue. Codes are stable: the editor, the CLI, the server and the
 * tests all speak them, so a message may be reworded but a code never changes meaning.
 */
export const DIAGNOSTICS = {
  TG000: { name: 'invalid-graph', severity: 'error' },
  TG001: { name: 'no-entry', severity: 'error' },
  TG002: { name: 'multiple-entries', severity: 'error' },
  TG003: { name: 'cycle', severity: 'error' },
  TG004: { name: 'dangling-edge', severity: 'error' },
  TG005: { name: 'unreachable-node', severity: 'warning' },
  TG006: { name: 'no-terminal', severity: 'error' },
  TG007: { name: 'invalid-param', severity: 'error' },
  TG008: { name: 'unknown-model', severity: 'error' },
  TG009: { name: 'ambiguous-output', severity: 'error' },
  TG010: { name: 'bad-fallback', severity: 'error' },
  TG011: { name: 'rule-explosion', severity: 'warning' },
  TG012: { name: 'duplicate-id', severity: 'error' },
  TG013: { name: 'entry-has-input', severity: 'error' },
  TG014: { name: 'too-many-rules', severity: 'error' },
  TG015: { name: 'label-contradicts-settings', severity: 'warning' },
  TG016: { name: 'embedding-model', severity: 'error' },
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  name: string;
  severity: Severity;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Dotted path into the node's params (`tests.0.value`), or an output handle id. */
  field?: string;
}

interface Where {
  nodeId?: string;
  edgeId?: string;
  field?: string;
}

function make(code: DiagnosticCode, message: string, where: Where = {}): Diagnostic {
  const { name, severity } = DIAGNOSTICS[code];
  return { code, name, severity, message, ...where };
}

/** Message factories, one per code. */
export const diag = {
  invalidGraph: (field: string, detail: string) => make('TG000', `The graph is not valid: ${field}: ${detail}.`, { field }),
  noEntry: () => make('TG001', 'The graph has no Request node: add one where requests enter the policy.'),
  multipleEntries: (nodeId: string) =>
    make('TG002', 'The graph has more than one Request node: keep exactly one entry.', { nodeId }),
  cycle: (nodeId: string, loop: string[]) =>
    make('TG003', `A cycle leads back to this node (${loop.join(' → ')}): a policy must flow one way.`, { nodeId }),
  danglingEdge: (edgeId: string, nodeId: string | undefined, detail: string) =>
    make('TG004', `Edge ${edgeId} ${detail}.`, { edgeId, ...(nodeId ? { nodeId } : {}) }),
  unreachable: (nodeId: string) =>
    make('TG005', 'No path from the Request node reaches this node, so it never applies.', { nodeId }),
  noTerminal: (nodeId: string, handle: string, label: string) =>
    make('TG006', `Output "${label}" leads nowhere: connect it so requests on this path end in a route, degrade or block.`, {
      nodeId,
      field: handle,
    }),
  /** `label` is the field as the inspector names it ("Limit (USD)"); `field` its path in the params ("limitUsd"). */
  invalidParam: (nodeId: string, field: string, label: string, detail: string) =>
    make('TG007', label ? `${label}: ${detail}` : detail, { nodeId, field }),
  unknownModel: (nodeId: string, field: string, model: string) =>
    make('TG008', `Model "${model}" is not in the pricing table: pick a priced model or add its price.`, { nodeId, field }),
  embeddingModel: (nodeId: string, field: string, model: string) =>
    make('TG016', `Model "${model}" is an embedding model: it answers /v1/embeddings, not chat; pick a chat model.`, { nodeId, field }),
  ambiguousOutput: (nodeId: string, handle: string) =>
    make('TG009', `Output "${handle}" has more than one edge: each output leads to exactly one node.`, { nodeId, field: handle }),
  badFallback: (nodeId: string, targetKind: string) =>
    make('TG010', `onError must lead to another Route node (it leads to a ${targetKind}).`, { nodeId, field: 'onError' }),
  ruleExplosion: (nodeId: string, count: number) =>
    make('TG011', `This graph compiles to ${count} rules because shared branches multiply paths; a Switch or Split keeps it small.`, {
      nodeId,
    }),
  duplicateId: (id: string, what: 'node' | 'edge') =>
    make('TG012', `Two ${what}s share the id "${id}".`, what === 'node' ? { nodeId: id } : { edgeId: id }),
  tooManyRules: (limit: number) =>
    make('TG014', `This graph compiles to more than ${limit} rules; replace repeated branches with a Switch or Split.`),
  labelContradicts: (nodeId: string, field: string, { said, setting, actual }: { said: string; setting: string; actual: string }) =>
    make('TG015', `The label says ${said} but ${setting} is ${actual}: rename the node or change the setting.`, { nodeId, field }),
  entryHasInput: (nodeId: string, edgeId: string) =>
    make('TG013', 'The Request node is the entry: nothing may lead into it.', { nodeId, edgeId }),
};

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** One line per diagnostic, as the CLI prints them. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.nodeId && `node ${d.nodeId}`, d.edgeId && `edge ${d.edgeId}`, d.field && `field ${d.field}`]
    .filter(Boolean)
    .join(', ');
  return `${d.severity} ${d.code} ${d.name}${where ? ` (${where})` : ''}: ${d.message}`;
}
