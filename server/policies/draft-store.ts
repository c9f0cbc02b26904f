import path from 'node:path';
import { JSONFilePreset } from 'lowdb/node';
import type { Graph } from '../../shared/graph.js';

interface DraftData {
  drafts: Record<string, { graph: Graph; savedAt: string }>;
}

/** Unpublished graphs, one per policy, in `<dataDir>/drafts.json` (lowdb writes through a temp file and a rename). */
export class DraftStore {
  private constructor(private readonly db: Awaited<ReturnType<typeof JSONFilePreset<DraftData>>>) {}

  static async open(dataDir: string): Promise<DraftStore> {
    return new DraftStore(await JSONFilePreset<DraftData>(path.join(dataDir, 'drafts.json'), { drafts: {} }));
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
