import type { RouterOutcome } from '../routing/router-learner.js';
import type { FeedbackRecord } from './feedback-record.js';

/** Feedback the router learns from: on a request a learned router decided, answered by a model (a cache hit says nothing of the branch). */
export function routerOutcome(r: FeedbackRecord): RouterOutcome | null {
  if (!r.router || r.cache === 'hit') return null;
  return { router: r.router, score: r.score, at: Date.parse(r.time), requestId: r.requestId };
}
