import { LRUCache } from 'lru-cache';
import type { LedgerRecord } from '../ledger/ledger-record.js';

/** What feedback needs to know of the request it is about. */
export type RequestRef = Pick<LedgerRecord, 'id' | 'time' | 'policy' | 'rule' | 'servedModel' | 'cache' | 'status' | 'router'>;

/**
 * The most recent requests by id, so feedback on them is checked and attributed without reading
 * the ledger. Bounded: older ids are looked up in the ledger files instead.
 */
export class RecentRequests {
  private readonly byId: LRUCache<string, RequestRef>;

  constructor(max = 100_000) {
    this.byId = new LRUCache({ max });
  }

  remember(record: LedgerRecord): void {
    const { id, time, policy, rule, servedModel, cache, status, router } = record;
    this.byId.set(id, { id, time, policy, rule, servedModel, cache, status, ...(router ? { router } : {}) });
  }

  get(id: string): RequestRef | undefined {
    return this.byId.get(id);
  }
}
