import { microsToUsd } from '../../shared/cost.js';
import type { Graph } from '../../shared/graph.js';
import { BUDGET_SCOPES_SHOWN, type NodeLive } from '../../shared/live-stats.js';
import { BudgetFactParamsSchema, type BudgetFactParams } from '../../shared/nodes/budget.js';
import { nodeSpec } from '../../shared/nodes/index.js';
import { REQUESTED_MODEL } from '../../shared/nodes/route.js';
import type { RuleFile } from '../../shared/rule-file.js';
import type { BudgetUsage } from '../limits/budget-fact.js';
import { scopeKey, type ScopeSubject } from '../limits/scope-key.js';
import type { RollupRow } from './day-rollup.js';

/** A rule's path, and the models its terminal tries in order when it has an onError chain (a route and its fallbacks). */
interface RulePath {
  nodes: readonly string[];
  targets: readonly { node: string; model: string }[];
}

interface NodeTotals {
  requests: number;
  costMicros: number;
  cacheLookups: number;
  cacheHits: number;
  /** Budget nodes: each scope key seen, with one request that counted under it (to ask the budget book). */
  scopes: Map<string, ScopeSubject>;
}

export interface LiveTallyOptions {
  /** The live graph: its nodes with a live figure are counted, and its budget params (current limits) are used. */
  graph: Graph;
  /** The rule file of a version of this policy (records name theirs), or undefined when it is gone. */
  ruleFile(version: number): RuleFile | undefined;
}

/**
 * Today's figures per node of one policy, from the day's rollup rows: a row counts on every
 * node of the path its rule stands for (rule names differ between versions, so each row is
 * read with its own version's rules). Only nodes whose spec declares a live figure are counted.
 */
export class LiveTally {
  private readonly totals = new Map<string, NodeTotals>();
  private readonly budgets = new Map<string, BudgetFactParams>();
  private readonly paths = new Map<string, RulePath>();

  constructor(private readonly options: LiveTallyOptions) {
    for (const node of options.graph.nodes) {
      const live = nodeSpec(node.kind).live;
      if (!live) continue;
      this.totals.set(node.id, { requests: 0, costMicros: 0, cacheLookups: 0, cacheHits: 0, scopes: new Map() });
      const budget = live === 'spend' ? BudgetFactParamsSchema.safeParse(node.params) : null;
      if (budget?.success) this.budgets.set(node.id, budget.data);
    }
  }

  add(row: RollupRow): void {
    if (row.policy !== this.options.graph.id) return;
    for (const id of this.nodesOf(row, this.pathOf(row.policyVersion, row.rule))) {
      const totals = this.totals.get(id);
      if (!totals) continue;
      totals.requests += row.requests;
      totals.costMicros += row.costMicros;
      if (row.cache !== 'bypass') totals.cacheLookups += row.requests;
      if (row.cache === 'hit') totals.cacheHits += row.requests;
      const budget = this.budgets.get(id);
      if (!budget) continue;
      for (const subject of row.subjects.values()) {
        const key = scopeKey(budget.scope, subject);
        if (!totals.scopes.has(key)) totals.scopes.set(key, subject);
      }
    }
  }

  private pathOf(version: number, rule: string): RulePath {
    const memo = `${version}/${rule}`;
    let path = this.paths.get(memo);
    if (!path) {
      const params = this.options.ruleFile(version)?.rules.find((r) => r.name === rule)?.event.params;
      const terminal = params?.actions.at(-1);
      const targets = terminal && 'fallbacks' in terminal ? [terminal, ...terminal.fallbacks] : [];
      path = { nodes: params?.path ?? [], targets: targets.map((t) => ({ node: t.node, model: t.model })) };
      this.paths.set(memo, path);
    }
    return path;
  }

  /** The path's nodes, with the fallback that answered in place of the route that failed over to it. */
  private nodesOf(row: Pick<RollupRow, 'requestedModel' | 'servedModel'>, path: RulePath): readonly string[] {
    const served = path.targets.find((t) => (t.model === REQUESTED_MODEL ? row.requestedModel : t.model) === row.servedModel);
    if (!served || served === path.targets[0]) return path.nodes;
    return path.nodes.map((id) => (id === path.targets[0]!.node ? served.node : id));
  }

  /** Per node; a budget node's scopes are read from `usage` (spend now, reservations and overrides included), most used first. */
  result(usage: (params: BudgetFactParams, subject: ScopeSubject) => BudgetUsage): Record<string, NodeLive> {
    const nodes: Record<string, NodeLive> = {};
    for (const [id, t] of this.totals) {
      const budget = this.budgets.get(id);
      const scopes = budget ? [...t.scopes.values()].map((subject) => usage(budget, subject)) : [];
      scopes.sort((a, b) => b.usedMicros - a.usedMicros || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      nodes[id] = {
        requests: t.requests,
        costUsd: microsToUsd(t.costMicros),
        cacheLookups: t.cacheLookups,
        cacheHits: t.cacheHits,
        budgets: scopes.slice(0, BUDGET_SCOPES_SHOWN).map((s) => ({ key: s.key, usedUsd: microsToUsd(s.usedMicros), limitUsd: microsToUsd(s.limitMicros) })),
        scopesSeen: scopes.length,
      };
    }
    return nodes;
  }
}
