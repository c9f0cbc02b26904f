import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Graph } from '../../shared/graph.js';

interface DraftData {
  drafts: Record<string, { graph: Graph; savedAt: string }>;
}

/** Unpublished graphs, one per policy, in `<dataDir>/drafts.json` (lowdb writes through a temp file and a rename). */
export class DraftStore {
  private constructor(private readonly db: Low<DraftData>) {}

  // Not JSONFilePreset: it silently keeps data in memory whenever NODE_ENV is "test".
  static async open(dataDir: string): Promise<DraftStore> {
    await mkdir(dataDir, { recursive: true });
    const db = new Low<DraftData>(new JSONFile(path.join(dataDir, 'drafts.json')), { drafts: {} });
    await db.read();
    db.data ??= { drafts: {} };
    return new DraftStore(db);
  }

  get(id: string): Graph | null {
    return this.db.data.drafts[id]?.graph ?? null;
  }

  ids(): string[] {
    return Object.keys(this.db.data.drafts);
  }

  async save(id: string, graph: Graph): Promise<void> {
    await this.db.update((data) => {
      data.drafts[id] = { graph, savedAt: new Date().toISOString() };
    });
  }

  async discard(id: string): Promise<boolean> {
    if (!this.db.data.drafts[id]) return false;
    await this.db.update((data) => {
      delete data.drafts[id];
    });
    return true;
  }
}
