import { formatUsd } from '../../shared/cost.js';
import type { Exchange } from './exchange.js';
import type { Headers } from './json-response.js';

export interface ServedHeaders {
  model: string | null;
  provider?: string;
  cache: string;
  costUsd: number;
}

/** The `x-tollgate-*` headers that say what happened to a request. */
export function decisionHeaders(exchange: Exchange, served: ServedHeaders): Headers {
  const headers: Headers = {
    'x-tollgate-request-id': exchange.id,
    'x-tollgate-policy': exchange.policy.id,
    'x-tollgate-policy-version': String(exchange.policy.ruleFile.policy.version),
    'x-tollgate-rule': exchange.rule.name,
    'x-tollgate-cache': served.cache,
    'x-tollgate-cost-usd': formatUsd(served.costUsd),
  };
  if (served.model) headers['x-tollgate-model'] = served.model;
  if (served.provider) headers['x-tollgate-provider'] = served.provider;
  const check = exchange.answerCheck;
  if (check) {
    const verdict = !check.escalated ? 'passed' : check.kept ? 'kept' : 'escalated';
    headers['x-tollgate-answer-check'] = check.check === 'format' ? `${verdict}; check=format` : `${verdict}; score=${check.score}; threshold=${check.threshold}`;
  }
  return headers;
}
