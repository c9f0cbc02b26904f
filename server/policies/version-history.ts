import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VersionSummary } from '../../shared/api.js';
import { BacktestSummarySchema, type BacktestSummary } from '../../shared/backtest-summary.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { serializeRuleFile } from '../../shared/rule-file.js';
import { writeFileAtomic } from './atomic-write.js';
import { parseRuleFile } from './read-rule-file.js';

const VERSION_FILE = /^v(\d+)\.json$/;

/** Who published a version and why, kept beside it (`v<N>.meta.json`): the rule file itself stays what the compiler wrote. */
export interface VersionMeta {
  author: string;
  message: string;
}

/** Every published version of every policy, as the rule file it was: `<dataDir>/versions/<id>/v<N>.json`. */
export class VersionHistory {
  constructor(private readonly root: string) {}

  private dir(id: string): string {
    return path.join(this.root, id);
  }

  async record(ruleFile: RuleFile, meta?: VersionMeta): Promise<void> {
    const base = path.join(this.dir(ruleFile.policy.id), `v${ruleFile.policy.version}`);
    if (meta) await writeFileAtomic(`${base}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
    await writeFileAtomic(`${base}.json`, serializeRuleFile(ruleFile));
  }

  async meta(id: string, version: number): Promise<VersionMeta> {
    const text = await readFile(path.join(this.dir(id), `v${version}.meta.json`), 'utf8').catch(() => null);
    try {
      const parsed = text === null ? {} : (JSON.parse(text) as Partial<VersionMeta>);
      return { author: String(parsed.author ?? ''), message: String(parsed.message ?? '') };
    } catch {
      return { author: '', message: '' };
    }
  }

  /** Keeps the backtest a version was published after beside it (the rule file stays byte-stable). */
  async attachBacktest(id: string, version: number, summary: BacktestSummary): Promise<void> {
    await writeFileAtomic(path.join(this.dir(id), `v${version}.backtest.json`), `${JSON.stringify(summary, null, 2)}\n`);
  }

  async backtestOf(id: string, version: number): Promise<BacktestSummary | null> {
    const text = await readFile(path.join(this.dir(id), `v${version}.backtest.json`), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = BacktestSummarySchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async versions(id: string): Promise<number[]> {
    await mkdir(this.dir(id), { recursive: true });
    return (await readdir(this.dir(id)))
      .map((f) => VERSION_FILE.exec(f)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  }

  async get(id: string, version: number): Promise<RuleFile | null> {
    const text = await readFile(path.join(this.dir(id), `v${version}.json`), 'utf8').catch(() => null);
    if (text === null) return null;
    const parsed = parseRuleFile(text, id);
    return parsed.ok ? parsed.ruleFile : null;
  }

  async list(id: string): Promise<VersionSummary[]> {
    const summaries: VersionSummary[] = [];
    for (const version of await this.versions(id)) {
      const file = await this.get(id, version);
      if (!file) continue;
      const backtest = await this.backtestOf(id, version);
      summaries.push({ version, compiledAt: file.policy.compiledAt, ruleCount: file.rules.length, ...(await this.meta(id, version)), ...(backtest ? { backtest } : {}) });
    }
    return summaries;
  }

  async latest(id: string): Promise<number> {
    return (await this.versions(id))[0] ?? 0;
  }
}
