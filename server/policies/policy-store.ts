import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { RuleFile } from '../../shared/rule-file.js';
import { serializeRuleFile } from '../../shared/rule-file.js';
import { createEvaluator } from '../engine/create-evaluator.js';
import type { PolicyEvaluator } from '../engine/evaluator.js';
import type { Logger } from '../log.js';
import { writeFileAtomic } from './atomic-write.js';
import { readRuleFile } from './read-rule-file.js';

/** One published policy version, ready to decide. Immutable: a reload swaps in a new one. */
export interface LivePolicy {
  id: string;
  ruleFile: RuleFile;
  evaluator: PolicyEvaluator;
  loadedAt: string;
}

export interface PolicyStatus {
  id: string;
  live: LivePolicy | null;
  /** Why the file on disk is not live; the last good version (if any) keeps serving. */
  error: string | null;
}

const POLICY_FILE = /^([A-Za-z0-9][A-Za-z0-9_.-]*)\.json$/;

/**
 * Holds the live policies of a rules folder: loads every file at start, reloads a file when
 * it changes, and keeps the last good version of a file that breaks.
 */
export class PolicyStore {
  private readonly live = new Map<string, LivePolicy>();
  private readonly errors = new Map<string, string>();
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    readonly rulesDir: string,
    private readonly log: Logger,
  ) {}

  async loadAll(): Promise<void> {
    await mkdir(this.rulesDir, { recursive: true });
    const files = (await readdir(this.rulesDir)).filter((f) => POLICY_FILE.test(f)).sort();
    await Promise.all(files.map((f) => this.reload(f.slice(0, -'.json'.length))));
  }

  /** Re-reads one policy's file; on failure the previous version stays live. */
  async reload(id: string): Promise<PolicyStatus> {
    const file = path.join(this.rulesDir, `${id}.json`);
    const result = await readRuleFile(file, id);
    if (!result.ok) {
      if (result.error.includes('ENOENT')) {
        // A deleted file retires the policy: serving a policy nobody can see would surprise more.
        this.live.delete(id);
        this.errors.delete(id);
        this.log.info({ policy: id }, 'policy file removed');
        return this.status(id);
      }
      this.errors.set(id, result.error);
      this.log.error({ policy: id, error: result.error, keptVersion: this.live.get(id)?.ruleFile.policy.version ?? null }, 'rule file rejected; last good version stays live');
      return this.status(id);
    }
    const live = this.live.get(id);
    // Our own publishes come back through the watcher: the same file needs no second build.
    if (live && serializeRuleFile(live.ruleFile) === serializeRuleFile(result.ruleFile)) {
      this.errors.delete(id);
      return this.status(id);
    }
    try {
      this.install(result.ruleFile);
    } catch (error) {
      const message = `json-rules-engine rejects the rules: ${(error as Error).message}`;
      this.errors.set(id, message);
      this.log.error({ policy: id, error: message }, 'rule file rejected; last good version stays live');
    }
    return this.status(id);
  }

  /** Makes a rule file live at once (after a publish), without waiting for the watcher. */
  install(ruleFile: RuleFile): LivePolicy {
    const policy: LivePolicy = {
      id: ruleFile.policy.id,
      ruleFile,
      evaluator: createEvaluator(ruleFile),
      loadedAt: new Date().toISOString(),
    };
    this.live.set(policy.id, policy);
    this.errors.delete(policy.id);
    this.log.info({ policy: policy.id, version: ruleFile.policy.version, rules: ruleFile.rules.length, evaluator: policy.evaluator.mode }, 'policy live');
    return policy;
  }

  /**
   * Installs a published file only if it is newer than the live one: with several instances a
   * later version can arrive from another instance before this one finishes its own publish.
   */
  installIfNewer(ruleFile: RuleFile): boolean {
    const live = this.live.get(ruleFile.policy.id);
    if (live && live.ruleFile.policy.version >= ruleFile.policy.version) return false;
    this.install(ruleFile);
    return true;
  }

  /** Writes the live file of a policy to the rules folder, one write per policy at a time, so the last rename is always the newest version. */
  persist(id: string): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const live = this.live.get(id);
      if (live) await writeFileAtomic(path.join(this.rulesDir, `${id}.json`), serializeRuleFile(live.ruleFile));
    });
    this.writes.set(id, run);
    return run;
  }

  get(id: string): LivePolicy | undefined {
    return this.live.get(id);
  }

  status(id: string): PolicyStatus {
    return { id, live: this.live.get(id) ?? null, error: this.errors.get(id) ?? null };
  }

  list(): PolicyStatus[] {
    const ids = new Set([...this.live.keys(), ...this.errors.keys()]);
    return [...ids].sort().map((id) => this.status(id));
  }

  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.rulesDir, (_event, filename) => {
      const match = filename ? POLICY_FILE.exec(filename.toString()) : null;
      if (!match) return;
      const id = match[1]!;
      // Editors and `git checkout` write in several steps; settle before reading.
      clearTimeout(this.pending.get(id));
      this.pending.set(
        id,
        setTimeout(() => {
          this.pending.delete(id);
          void this.reload(id);
        }, 75),
      );
    });
    this.watcher.on('error', (error) => this.log.error({ error: error.message }, 'rules folder watcher failed'));
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
