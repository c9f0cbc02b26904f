import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AlertEntrySchema } from '../../shared/alerts-api.js';
import { writeFileAtomic } from '../policies/atomic-write.js';

/** What a restart must not forget: the alerts listed, and which kinds and scopes already alerted when. */
const AlertJournalSchema = z.object({
  alerts: z.array(AlertEntrySchema),
  lastRaised: z.record(z.string(), z.number()),
  lastWindow: z.record(z.string(), z.number()),
});
export type AlertJournalState = z.infer<typeof AlertJournalSchema>;

/**
 * The alert feed's state in one small JSON file, rewritten whole (atomically) after each change,
 * so a restart neither posts a window's alert again nor empties the dashboard's list. Writes are
 * coalesced: a burst of changes costs one write after the one in flight.
 */
export class AlertJournal {
  private dirty = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => AlertJournalState,
  ) {}

  /** The saved state, or null when there is none or it does not parse (a damaged file costs the history, not the start). */
  static read(file: string): AlertJournalState | null {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = AlertJournalSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(): void {
    this.dirty = true;
    this.running ??= this.drain().finally(() => (this.running = null));
  }

  /** Resolves once every change so far is on disk. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      // A full disk loses the newest state, never the runtime: alerts still go out.
      await writeFileAtomic(this.file, JSON.stringify(this.snapshot())).catch(() => {});
    }
  }
}
