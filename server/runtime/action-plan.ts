import type { ChatCompletionRequest } from '../../shared/api.js';
import type { AlertAction, BatchAction, CacheAction, CountRateAction, PromptCacheAction, RouteTarget, TerminalAction } from '../../shared/decision.js';
import type { CheckAnswerAction } from '../../shared/nodes/smart-route.js';
import type { TrimResult } from './trim-request.js';

/** How a decision ends: the models to try, or a refusal, or an answer from the cache only. */
export interface Finish {
  /** The models to call in order (the route, then its fallbacks); empty when no provider is called. */
  targets: RouteTarget[];
  /** Refuse the request with this answer (after a cache lookup when `cacheOnly`). */
  refusal: { status: number; message: string; code: string } | null;
  /** Answer only from the cache: the path's Cache node, else this one (a Cache node's defaults). */
  cacheOnly: CacheAction | null;
}

/** What a matched rule asks the runtime to do, with the request already reshaped by its trim steps. */
export interface ActionPlan {
  request: ChatCompletionRequest;
  /** Request tags plus those the path's tag nodes add, for the ledger. */
  tags: Record<string, string>;
  /** The service key's tags: a Tag node may add tags but never change these, so budgets and the ledger agree on who pays. */
  boundTags: Record<string, string>;
  cache: CacheAction | null;
  countRates: CountRateAction[];
  alerts: AlertAction[];
  trim: TrimResult | null;
  /** The path's Prompt cache node: the provider call marks the stable prefix for the provider's cache. */
  promptCache: PromptCacheAction | null;
  /** The path's Batch lane node: the request may go through the provider's batch API instead (handle-chat decides). */
  batch: BatchAction | null;
  /** The learned router sent an open question cheap on condition that its answer passes the check (answer-check-escalation.ts). */
  checkAnswer: CheckAnswerAction | null;
  terminal: TerminalAction;
  finish: Finish;
}
