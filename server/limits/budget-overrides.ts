import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { z } from 'zod';
import { retrySharedWrite } from '../runtime/retry-shared-write.js';
import type { BudgetLimits } from './budget-fact.js';
import type { BudgetWindow } from './budget-window.js';

/** A scope key as scopeKey() makes it: `global`, `serviceKey=<id>`, `user=<id>` or `tag:<key>=<value>`. */
export const ScopeKeySchema = z
  .string()
  .regex(/^(global|serviceKey=.+|user=.+|tag:[A-Za-z_][A-Za-z0-9_]*=.*)$/, 'use global, serviceKey=<id>, user=<id> or tag:<key>=<value>');

export const WindowLimitsSchema = z
  .object({
    day: z.number().min(0).optional(),
    week: z.number().min(0).optional(),
    month: z.number().min(0).optional(),
  })
  .strict();
export type WindowLimits = z.infer<typeof WindowLimitsSchema>;

/** `<dataDir>/budgets.json`, e.g. `{"tag:team=research": {"day": 200}}`. */
export const BudgetOverridesFileSchema = z.record(ScopeKeySchema, WindowLimitsSchema);
export type BudgetOverridesFile = z.infer<typeof BudgetOverridesFileSchema>;

type Db = Low<BudgetOverridesFile>;

/**
 * Budget limits set per scope value, overriding the budget nodes' own limits for that value
 * (e.g. research gets $200 a day where the policy says $50 per team). Read in memory on every
 * budget check; written through lowdb, which writes a temp file and renames it.
 */
export class BudgetOverrides implements BudgetLimits {
  private constructor(private readonly db: Db) {}

  static async open(dataDir: string): Promise<BudgetOverrides> {
    await mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, 'budgets.json');
    // Not JSONFilePreset: it swaps in an in-memory adapter whenever NODE_ENV is "test".
    const db = new Low<BudgetOverridesFile>(new JSONFile(file), {});
    await db.read();
    const parsed = BudgetOverridesFileSchema.safeParse(db.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    db.data = parsed.data;
    return new BudgetOverrides(db);
  }

  all(): BudgetOverridesFile {
    return structuredClone(this.db.data);
  }

  get(key: string): WindowLimits | null {
    const limits = this.db.data[key];
    return limits ? { ...limits } : null;
  }

  limitFor(key: string, window: BudgetWindow): number | undefined {
    return this.db.data[key]?.[window];
  }

  /** Replaces the overrides of one scope key; null or no window removes them. Validate `key` and `limits` with the schemas above first. */
  async set(key: string, limits: WindowLimits | null): Promise<void> {
    await this.apply(key, limits);
    this.onChange?.(key, this.get(key));
  }

  /** Told of each change made here; with Redis, the other instances apply it too. */
  onChange: ((key: string, limits: WindowLimits | null) => void) | null = null;

  /** Like set(), for a change made on another instance: written to budgets.json (the local copy), not announced again. */
  async apply(key: string, limits: WindowLimits | null): Promise<void> {
    if (limits && Object.values(limits).some((v) => v !== undefined)) this.db.data[key] = { ...limits };
    else delete this.db.data[key];
    await retrySharedWrite(() => this.db.write());
  }
}
