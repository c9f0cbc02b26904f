import type { FeedbackRequest, FeedbackResponse } from '../../shared/feedback-api.js';
import { feedbackScore } from '../../shared/feedback-api.js';
import { HttpError } from '../errors/http-error.js';
import type { FeedbackLedger } from './feedback-ledger.js';
import { findRequest, type RequestsElsewhere } from './find-request.js';
import type { RecentRequests } from './recent-requests.js';

/** Books feedback on an answered request; 404 for an id the ledger does not know. */
export async function recordFeedback(options: { body: FeedbackRequest; recent: RecentRequests; ledger: FeedbackLedger; now: number; elsewhere?: RequestsElsewhere | undefined }): Promise<FeedbackResponse> {
  const { body, now } = options;
  const request = await findRequest({ id: body.requestId, recent: options.recent, ledgerDir: options.ledger.dir, now, elsewhere: options.elsewhere });
  if (!request) {
    throw new HttpError({
      status: 404,
      message: `No request "${body.requestId}" in the last 30 days of the ledger (use the x-tollgate-request-id header of the answer)`,
      type: 'not_found_error',
      field: 'requestId',
      code: 'request_not_found',
    });
  }
  const score = feedbackScore(body);
  options.ledger.append({
    requestId: request.id,
    time: new Date(now).toISOString(),
    score,
    ...(body.label ? { label: body.label } : {}),
    policy: request.policy,
    rule: request.rule,
    servedModel: request.servedModel,
    cache: request.cache,
    ...(request.router ? { router: request.router } : {}),
  });
  return { requestId: request.id, score, recorded: true };
}
