import type { AlertEntry } from '../../shared/alerts-api.js';
import { AlertJournal } from './alert-journal.js';

export interface AlertFeedOptions {
  /** Read at each delivery (TOLLGATE_ALERT_WEBHOOK): the URL is never stored or returned. */
  env: Record<string, string | undefined>;
  /** The same kind and scope alert once in this long, unless the alert names its own window. */
  dedupeMs?: number;
  /** Kept in memory for `GET /api/alerts`. */
  keep?: number;
  tries?: number;
  /** First retry delay; doubled each try. */
  backoffMs?: number;
  now?: () => number;
  /**
   * Instances sharing Redis each see the same crossing: the one that claims an alert's kind, scope
   * and window first delivers it; the others list it as `elsewhere`. Without it, every alert is this
   * instance's own.
   */
  claim?: AlertClaim;
  /** Where the list and the de-duplication state are kept across restarts; memory only without it. */
  file?: string;
}

/** True when this instance is the first to raise `key` for its window (or within `ttlMs` when it has none). */
export type AlertClaim = (claim: { key: string; windowStart: number | null; ttlMs: number }) => Promise<boolean>;

/** A window's claim outlives the longest budget window (a month). */
const WINDOW_CLAIM_MS = 35 * 86_400_000;

export type RaisedAlert = Pick<AlertEntry, 'kind' | 'scope' | 'text' | 'series'>;

/** Alerts raised by budgets, anomalies and breakers, posted Slack-style ({text}) to a webhook, de-duplicated and retried. */
export class AlertFeed {
  private readonly entries: AlertEntry[] = [];
  private readonly lastRaised = new Map<string, number>();
  /** Per kind and scope, the start of the newest window an alert was raised in. */
  private readonly lastWindow = new Map<string, number>();
  private seq = 0;
  private readonly journal: AlertJournal | null;
  private readonly dedupeMs: number;
  private readonly keep: number;
  private readonly tries: number;
  private readonly backoffMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AlertFeedOptions) {
    this.dedupeMs = options.dedupeMs ?? 3_600_000;
    this.keep = options.keep ?? 100;
    this.tries = options.tries ?? 4;
    this.backoffMs = options.backoffMs ?? 500;
    this.now = options.now ?? Date.now;
    this.journal = options.file ? new AlertJournal(options.file, () => this.snapshot()) : null;
    const saved = options.file ? AlertJournal.read(options.file) : null;
    if (saved) this.restore(saved);
  }

  /** Resolves once every alert and status change so far is on disk. */
  flush(): Promise<void> {
    return this.journal?.flush() ?? Promise.resolve();
  }

  private snapshot() {
    return { alerts: this.entries, lastRaised: Object.fromEntries(this.lastRaised), lastWindow: Object.fromEntries(this.lastWindow) };
  }

  /** A delivery cut short by the restart is not resumed: it is listed as failed, with the tries it had. */
  private restore(saved: NonNullable<ReturnType<typeof AlertJournal.read>>): void {
    for (const entry of saved.alerts.slice(0, this.keep)) {
      this.entries.push(entry.status === 'pending' || entry.status === 'retrying' ? { ...entry, status: 'failed' } : entry);
    }
    for (const [key, at] of Object.entries(saved.lastRaised)) this.lastRaised.set(key, at);
    for (const [key, start] of Object.entries(saved.lastWindow)) this.lastWindow.set(key, start);
    this.seq = Math.max(0, ...this.entries.map((e) => Number(/^alert-(\d+)$/.exec(e.id)?.[1] ?? 0)));
  }

  /** Newest first. */
  list(): AlertEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /**
   * The entry raised, or null when it is a repeat. An alert with `windowStart` (a budget's day,
   * an anomaly's hour) is raised once per window: again only for a later window. Without one,
   * once per `dedupeMs`. Delivery runs in the background; `delivered` resolves when it ends.
   */
  raise(alert: RaisedAlert, options: { windowStart?: number } = {}): { entry: AlertEntry; delivered: Promise<void> } | null {
    const at = this.now();
    const key = `${alert.kind}\u0000${alert.scope}`;
    if (options.windowStart === undefined) {
      if (at - (this.lastRaised.get(key) ?? -Infinity) < this.dedupeMs) return null;
      this.lastRaised.set(key, at);
    } else {
      if (options.windowStart <= (this.lastWindow.get(key) ?? -Infinity)) return null;
      this.lastWindow.set(key, options.windowStart);
    }
    const entry: AlertEntry = { ...alert, id: `alert-${++this.seq}`, at: new Date(at).toISOString(), status: 'pending', tries: 0 };
    this.entries.unshift(entry);
    if (this.entries.length > this.keep) this.entries.length = this.keep;
    this.journal?.save();
    return { entry, delivered: this.claimThenDeliver(entry, key, options.windowStart ?? null) };
  }

  private async claimThenDeliver(entry: AlertEntry, key: string, windowStart: number | null): Promise<void> {
    const claim = this.options.claim;
    if (claim && !(await claim({ key, windowStart, ttlMs: windowStart === null ? this.dedupeMs : WINDOW_CLAIM_MS }))) entry.status = 'elsewhere';
    else await this.deliver(entry);
    this.journal?.save();
  }

  private async deliver(entry: AlertEntry): Promise<void> {
    const url = this.options.env.TOLLGATE_ALERT_WEBHOOK?.trim();
    if (!url) {
      entry.status = 'unsent';
      return;
    }
    const body = JSON.stringify({ text: `Tollgate ${entry.kind} alert (${entry.scope}): ${entry.text}` });
    for (let attempt = 0; attempt < this.tries; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** (attempt - 1)));
      entry.tries = attempt + 1;
      const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        entry.status = 'delivered';
        return;
      }
      entry.status = 'retrying';
      this.journal?.save();
    }
    entry.status = 'failed';
  }
}
