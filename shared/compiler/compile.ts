import type { Diagnostic } from '../diagnostics.js';
import { diag, hasErrors } from '../diagnostics.js';
import type { Graph } from '../graph.js';
import { GraphSchema } from '../graph.js';
import type { PricingTable } from '../pricing.js';
import { DEFAULT_PRICING } from '../pricing.js';
import type { Rule, RuleFile } from '../rule-file.js';
import { COMPILER_ID } from '../rule-file.js';
import { checkGraph, findCycles } from './check-graph.js';
import { enumeratePaths, RuleLimitExceeded } from './enumerate-paths.js';
import { terminalNames } from './rule-names.js';

export interface CompileOptions {
  pricing?: PricingTable;
  /** Above this many rules the compiler warns that the graph explodes. */
  warnRules?: number;
  /** Above this many rules the graph does not compile. */
  maxRules?: number;
}

export interface CompileResult {
  /** Null when the graph has errors. */
  ruleFile: RuleFile | null;
  diagnostics: Diagnostic[];
  ruleCount: number;
}

/**
 * Turns a policy graph into a json-rules-engine rule file. Pure and byte-stable: the same
 * graph gives the same file, and the graph inside a file recompiles to that file.
 */
export function compile(input: unknown, options: CompileOptions = {}): CompileResult {
  const pricing = options.pricing ?? DEFAULT_PRICING;
  const diagnostics: Diagnostic[] = [];

  const parsed = GraphSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(diag.invalidGraph(issue.path.map(String).join('.') || '(root)', issue.message));
    return { ruleFile: null, diagnostics, ruleCount: 0 };
  }
  const graph = parsed.data;
  const checked = checkGraph(graph, pricing, diagnostics);
  findCycles(checked, diagnostics);
  if (hasErrors(diagnostics)) return { ruleFile: null, diagnostics: sortDiagnostics(diagnostics), ruleCount: 0 };

  let paths;
  try {
    paths = enumeratePaths(checked, options.maxRules ?? 2000);
  } catch (error) {
    if (!(error instanceof RuleLimitExceeded)) throw error;
    diagnostics.push(diag.tooManyRules(options.maxRules ?? 2000));
    return { ruleFile: null, diagnostics: sortDiagnostics(diagnostics), ruleCount: 0 };
  }
  if (paths.length > (options.warnRules ?? 200)) diagnostics.push(diag.ruleExplosion(checked.entry!.id, paths.length));

  // Rules are named for the owner's labels; ids stay in the graph and the rule's path.
  const reached = new Set(paths.map((p) => p.terminal));
  const names = terminalNames(graph.nodes.filter((n) => reached.has(n.id)));
  const seen = new Map<string, number>();
  const rules: Rule[] = paths.map(({ terminal, rule }, index) => {
    const n = (seen.get(terminal) ?? 0) + 1;
    seen.set(terminal, n);
    const name = names.get(terminal)!;
    // Unique, strictly decreasing priorities: the decision is the matching rule that comes first.
    return { name: n === 1 ? name : `${name}#${n}`, priority: paths.length - index, ...rule };
  });

  const normalized: Graph = {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, params: checked.nodes.get(node.id)!.params ?? node.params })),
  };
  const ruleFile: RuleFile = {
    policy: {
      id: graph.id,
      name: graph.name,
      description: graph.description,
      version: graph.version,
      compiledAt: graph.updatedAt,
      compiler: COMPILER_ID,
    },
    rules,
    graph: normalized,
  };
  return { ruleFile, diagnostics: sortDiagnostics(diagnostics), ruleCount: rules.length };
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b));
}
