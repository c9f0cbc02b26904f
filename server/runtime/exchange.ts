import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule } from '../../shared/rule-file.js';
import type { Reservation } from '../limits/budget-reservations.js';
import type { LivePolicy } from '../policies/policy-store.js';
import type { Usage } from '../providers/provider.js';
import type { ActionPlan } from './action-plan.js';
import type { AnswerCheckRef } from '../routing/answer-check-ref.js';
import type { RouterRef } from '../routing/router-ref.js';
import type { Costing } from './chat-outcome.js';

/** Everything known about one request by the time it is answered, for headers and the ledger. */
export interface Exchange {
  /** Also the ledger record's id and the `x-tollgate-request-id` header. */
  id: string;
  started: number;
  policy: LivePolicy;
  rule: Rule;
  request: ChatCompletionRequest;
  facts: RequestFacts;
  plan: ActionPlan;
  /** The estimated cost held against the budgets until the request is booked. */
  reservation: Reservation | null;
  /** The learned router's branch and score, when the rule passed one; booked so feedback can teach it. */
  router?: RouterRef | null;
  /** The answer check's verdict on the cheap answer, when the router asked for one. */
  answerCheck?: AnswerCheckRef | null;
  /** Set on an embeddings call, whose `request` only stands for it (see embedding-facts.ts): never captured for backtests. */
  api?: 'embeddings';
}

/** Who answered a request. */
export interface Served {
  model: string;
  provider: string;
  attempts: number;
  cache: 'hit' | 'miss' | 'bypass';
}

/** How a request ended, for its ledger record. */
export interface Outcome {
  status: number;
  served: Served | null;
  usage: Usage | null;
  cache: 'hit' | 'miss' | 'bypass';
  attempts: number;
  cost?: Costing;
  error?: string;
}
