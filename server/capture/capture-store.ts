import { randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import bytes from 'bytes';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { CaptureSettingsSchema } from '../../shared/capture-settings.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Graph } from '../../shared/graph.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { utcDay } from '../ledger/ledger-files.js';
import type { Logger } from '../log.js';
import type { CaptureDatabase, CaptureQuery } from './capture-database.js';
import { captureDirOf, captureFile, enforceRetention } from './capture-files.js';
import type { CapturedRequest } from './captured-request.js';
import { readCaptured } from './read-captured.js';
import { createRedactor, type Redactor } from './redact.js';

const gzipAsync = promisify(gzip);
const DEFAULTS = CaptureSettingsSchema.parse({});
const DEFAULT_MAX_BYTES = 1024 ** 3;
/** The model name is an id, never personal data; redacting it would break pricing on replay. */
const KEEP = new Set(['model']);
/** Retention is checked at least this often, and whenever this share of the byte cap was written since. */
const RETENTION_EVERY_MS = 60_000;
const RETENTION_SHARE = 0.1;
/** How often shipping to the database is retried while it is away. */
const SHIP_RETRY_MS = 2000;

/** What the runtime hands over per booked request: the exchange's parts capture reads. */
export interface CaptureSource {
  request: ChatCompletionRequest;
  facts: RequestFacts;
  /** performance.now() when the request arrived. */
  started: number;
  policy: { id: string; ruleFile: { graph: Pick<Graph, 'settings'> } };
}

interface Pending {
  source: CaptureSource;
  record: LedgerRecord;
  factsTime: number;
}

export interface CaptureStoreOptions {
  dir: string;
  /** Capture every policy, whatever its graph says (`TOLLGATE_CAPTURE=all`). */
  all: boolean;
  maxBytes: number;
  /** How long requests wait in memory before a batch is redacted, compressed and appended; 0: the next turn. */
  flushMs?: number;
  log?: Logger;
  now?: () => number;
  /** Redaction marks' salt; kept in memory only (default: random per process). */
  salt?: Buffer;
  /** With TOLLGATE_DATABASE_URL: every instance's captures in one table, the local files its buffer. */
  database?: CaptureDatabase | undefined;
}

/**
 * Captures requests of policies with capture on, for backtests. The request path only pushes
 * a reference into a buffer; redaction, serialisation and gzip happen per batch off the
 * request, and each batch is appended to the day's file as one gzip member.
 */
export class CaptureStore {
  private buffer: Pending[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly redactor: Redactor;
  private readonly retention = new Map<string, number>();
  private writtenSinceCheck = 0;
  private lastCheck = 0;
  private readonly now: () => number;
  /** Files written before this start, or while the database was away, are not shipped yet. */
  private behind: boolean;
  private readonly retry: NodeJS.Timeout | null;

  constructor(private readonly options: CaptureStoreOptions) {
    this.now = options.now ?? Date.now;
    this.redactor = createRedactor(options.salt ?? randomBytes(32));
    this.behind = options.database !== undefined;
    this.retry = options.database ? setInterval(() => this.catchUp(), SHIP_RETRY_MS).unref() : null;
    if (options.database) this.catchUp();
  }

  static fromEnv(dataDir: string, env: Record<string, string | undefined>, options: { log?: Logger; salt?: Buffer; database?: CaptureDatabase | undefined } = {}): CaptureStore {
    const cap = env.TOLLGATE_CAPTURE_MAX_BYTES ? bytes.parse(env.TOLLGATE_CAPTURE_MAX_BYTES) : null;
    return new CaptureStore({
      dir: captureDirOf(dataDir),
      all: env.TOLLGATE_CAPTURE === 'all',
      maxBytes: cap !== null && cap > 0 ? cap : DEFAULT_MAX_BYTES,
      flushMs: 200,
      ...options,
    });
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Whether requests of this policy are captured, and for how many days. */
  settingsFor(policy: CaptureSource['policy']): { enabled: boolean; retentionDays: number } {
    const own = policy.ruleFile.graph.settings?.capture;
    return { enabled: this.options.all || own?.enabled === true, retentionDays: own?.retentionDays ?? DEFAULTS.retentionDays };
  }

  /** Called for every booked request; O(1), no I/O, nothing copied. */
  offer(source: CaptureSource, record: LedgerRecord): void {
    const own = source.policy.ruleFile.graph.settings?.capture;
    if (!this.options.all && own?.enabled !== true) return;
    // Facts were derived on arrival; the record is written at the end.
    this.buffer.push({ source, record, factsTime: this.now() - (performance.now() - source.started) });
    if (this.scheduled) return;
    this.scheduled = true;
    const flushMs = this.options.flushMs ?? 0;
    if (flushMs === 0) {
      setImmediate(() => void this.flush());
      return;
    }
    this.timer = setTimeout(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  /** Writes what is buffered; resolves once it is on disk. */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.write(batch)).catch((error: unknown) => {
      this.options.log?.warn({ err: error }, 'captured requests could not be written; backtests will miss them');
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.retry) clearInterval(this.retry);
    await this.flush();
  }

  /** One policy's captured requests, what is buffered included: every instance's with a database, else this instance's files. */
  async *read(query: CaptureQuery & { onSkip?: (file: string, reason: string) => void }): AsyncGenerator<CapturedRequest> {
    await this.flush();
    if (this.options.database) yield* this.options.database.captured(query);
    else yield* readCaptured({ captureDir: this.options.dir, ...query });
  }

  /** Ships in the write chain, so the shipper never reads a file mid-append. */
  private catchUp(): void {
    if (!this.behind) return;
    this.writing = this.writing.then(() => this.ship());
  }

  private async ship(): Promise<void> {
    const database = this.options.database;
    if (database) this.behind = !(await database.ship());
  }

  /** The stored form of one request: redacted, with the caller's attribution beside it. */
  captured(pending: Pending): CapturedRequest {
    const { source, record } = pending;
    const { facts } = source;
    return {
      id: record.id,
      time: record.time,
      factsTime: new Date(pending.factsTime).toISOString(),
      policy: record.policy,
      request: this.redactor.value(source.request, KEEP) as ChatCompletionRequest,
      caller: { tags: facts.tags, serviceKey: facts.serviceKey, user: facts.user, tier: facts.tier },
    };
  }

  private async write(batch: Pending[]): Promise<void> {
    const files = new Map<string, string[]>();
    for (const pending of batch) {
      const { policy } = pending.source;
      this.retention.set(policy.id, this.settingsFor(policy).retentionDays);
      const file = captureFile(this.options.dir, policy.id, utcDay(pending.record.time));
      let lines = files.get(file);
      if (!lines) files.set(file, (lines = []));
      lines.push(JSON.stringify(this.captured(pending)));
    }
    for (const [file, lines] of files) {
      const member = await gzipAsync(`${lines.join('\n')}\n`);
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, member);
      this.writtenSinceCheck += member.length;
    }
    await this.ship();
    const now = this.now();
    if (now - this.lastCheck >= RETENTION_EVERY_MS || this.writtenSinceCheck >= this.options.maxBytes * RETENTION_SHARE) {
      this.lastCheck = now;
      this.writtenSinceCheck = 0;
      await enforceRetention({
        captureDir: this.options.dir,
        retentionDays: this.retention,
        defaultDays: DEFAULTS.retentionDays,
        maxBytes: this.options.maxBytes,
        today: utcDay(now),
      });
      await this.options.database?.retain({ retentionDays: this.retention, today: utcDay(now) }).catch((error: Error) => {
        this.options.log?.warn({ error: error.message }, 'old captured requests could not be deleted from PostgreSQL; retried at the next check');
      });
    }
  }
}
