import path from 'node:path';
import type { Graph } from '../../shared/graph.js';
import { compile } from '../../shared/compiler/compile.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { hasErrors } from '../../shared/diagnostics.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { commitRuleFile, type GitCommitResult } from './git-commit.js';
import type { DraftStore } from './draft-store.js';
import type { PolicyStore } from './policy-store.js';
import type { VersionHistory, VersionMeta } from './version-history.js';

export type PublishResult =
  | { ok: true; ruleFile: RuleFile; diagnostics: Diagnostic[]; git: GitCommitResult | null }
  | { ok: false; diagnostics: Diagnostic[] };

/** The version a publish gets: above `floor` (the newest this instance knows of) and never handed out twice. */
export type NextVersion = (id: string, floor: number) => Promise<number>;

export interface PublishOptions {
  now?: Date;
  /** Why: the version's message, and the commit's when publishing commits. */
  message?: string;
  /** Who: the version's author, and the commit's. */
  author?: string;
}

/**
 * Publishing: compile with the next version number, write `rules/<id>.json` atomically, keep
 * the version in the history, make it live, and drop the draft. One publish per policy at a time.
 */
export class Publisher {
  private readonly queues = new Map<string, Promise<unknown>>();

  private readonly store: PolicyStore;
  private readonly history: VersionHistory;
  private readonly drafts: DraftStore;
  private readonly pricing: () => PricingTable;
  private readonly gitCommit: boolean;
  private readonly announce: (ruleFile: RuleFile, meta: VersionMeta) => void;
  private readonly nextVersion: NextVersion;

  /**
   * `announce` tells the other instances (see server/redis/policy-bus.ts) and `nextVersion` takes
   * the version number from a counter they share (server/redis/policy-versions.ts); one instance alone needs neither.
   */
  constructor(parts: { store: PolicyStore; history: VersionHistory; drafts: DraftStore; pricing: () => PricingTable; gitCommit?: boolean; announce?: (ruleFile: RuleFile, meta: VersionMeta) => void; nextVersion?: NextVersion }) {
    ({ store: this.store, history: this.history, drafts: this.drafts, pricing: this.pricing } = parts);
    this.gitCommit = parts.gitCommit ?? false;
    this.announce = parts.announce ?? (() => {});
    this.nextVersion = parts.nextVersion ?? ((_id, floor) => Promise.resolve(floor + 1));
  }

  publish(graph: Graph, options: PublishOptions = {}): Promise<PublishResult> {
    const previous = this.queues.get(graph.id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.publishNow(graph, options));
    this.queues.set(graph.id, run);
    return run;
  }

  private async publishNow(graph: Graph, options: PublishOptions): Promise<PublishResult> {
    const now = options.now ?? new Date();
    const live = this.store.get(graph.id);
    // Seed the history with the file that was live before the first publish, so it can be rolled back to.
    if (live && (await this.history.latest(graph.id)) < live.ruleFile.policy.version) await this.history.record(live.ruleFile);
    const version = await this.nextVersion(graph.id, Math.max(live?.ruleFile.policy.version ?? 0, await this.history.latest(graph.id)));
    const { ruleFile, diagnostics } = compile({ ...graph, version, updatedAt: now.toISOString() }, { pricing: this.pricing() });
    if (!ruleFile || hasErrors(diagnostics)) return { ok: false, diagnostics };
    const file = path.join(this.store.rulesDir, `${graph.id}.json`);
    const author = options.author?.trim() ?? '';
    const message = options.message?.trim() || `Publish ${graph.name} v${version}`;
    await this.history.record(ruleFile, { author, message });
    // A newer version published on another instance meanwhile stays live: this one is kept in the history only.
    const newest = this.store.installIfNewer(ruleFile);
    await this.store.persist(graph.id);
    this.announce(ruleFile, { author, message });
    await this.drafts.discard(graph.id);
    const git = this.gitCommit && newest ? await commitRuleFile({ file, message, author }) : null;
    return { ok: true, ruleFile, diagnostics, git };
  }
}
