import type { StoredResponse } from './stored-response.js';

/**
 * Where kept responses live, for previous_response_id and GET/DELETE /v1/responses/{id}. A record
 * belongs to the service key that made it: to any other caller it does not exist.
 */
export interface ResponseStore {
  /** False when keeping is turned off (TOLLGATE_RESPONSES_DISK_BYTES=0): nothing is kept or found. */
  readonly enabled: boolean;
  /** How long a record is kept (ms). */
  readonly keepMs: number;
  /**
   * Keeps a record, and extends the earlier turns in `extend` (all of `record.earlier` unless
   * told: see turnsToExtend) to `record.earlierUntil`, so a conversation still going never loses
   * its start. Readable by get() at once. Null when the record is already kept where it survives a
   * crash; else the write under way, which the answer waits for (it never rejects: a failed write
   * is logged). Extending the earlier turns is not waited for.
   */
  put(record: StoredResponse, extend?: readonly string[]): Promise<void> | null;
  get(id: string, owner: string): Promise<StoredResponse | null>;
  /** Several at once (the earlier turns of a conversation), in the order asked; null for each not found. */
  getMany(ids: readonly string[], owner: string): Promise<(StoredResponse | null)[]>;
  /** Whether there was such a record of this owner's to delete. */
  delete(id: string, owner: string): Promise<boolean>;
  /** Waits for writes under way. */
  close(): Promise<void>;
}
