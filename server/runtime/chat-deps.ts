import type { PricingTable } from '../../shared/pricing.js';
import type { BatchLane } from '../batch/batch-lane.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { BudgetBook } from '../limits/budget-fact.js';
import type { RateWindows } from '../limits/rate-windows.js';
import type { LivePolicy } from '../policies/policy-store.js';
import type { RouterLearner } from '../routing/router-learner.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { SharedRateAdmission } from '../redis/redis-rate-limiter.js';
import type { SharedBudgetSource } from '../limits/shared-budget-admission.js';
import type { SchemaChecker } from '../routing/schema-checker.js';
import type { AlertSender } from './alerts.js';
import type { Book } from './book-exchange.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { TokenCounter } from '../facts/token-counter.js';

/** The policy a request names in `x-tollgate-policy` (the default when it names none); throws a 404 HttpError for an unknown one. */
export type PolicyLookup = (header: string | undefined) => LivePolicy;

/** What answering a chat completion needs, handed in explicitly (built once by the Runtime). */
export interface ChatDeps {
  policyFor: PolicyLookup;
  pricing: PricingTable;
  resolve: DynamicFactResolver;
  limiter: RateWindows;
  /** With TOLLGATE_REDIS_URL: rate limits admitted across instances before the decision; absent, `limiter` alone decides. */
  sharedRates?: SharedRateAdmission | undefined;
  alerts: AlertSender;
  cache: ResponseCache;
  providers: ProviderRegistry;
  health: CircuitBreakers;
  book: Book;
  /** Spend and reservations, for holding a request's estimated cost at admission. */
  budgets: BudgetBook;
  /** With TOLLGATE_REDIS_URL: budgets read and held across instances; absent, `budgets` alone decides, synchronously. */
  sharedBudgets?: SharedBudgetSource | undefined;
  /** The learned router's online correction: for a router that checks answers, it moves the check's threshold. */
  router?: RouterLearner | undefined;
  /** Requests that may wait, sent through the providers' batch APIs. */
  batch: BatchLane;
  /** JSON Schema checks of cheap answers, off the event loop. */
  schemaCheck: SchemaChecker;
  /** Large prompts counted off the event loop before their facts are read. */
  tokens: TokenCounter;
}

/** What sending an answer needs. */
export type AnswerDeps = Pick<ChatDeps, 'pricing' | 'book'>;
