import { HttpError } from '../errors/http-error.js';
import { refusalTypeOf } from '../kinds/index.js';
import { CHAT_WIRE, type AnswerWire } from './answer-wire.js';
import { bookExchange } from './book-exchange.js';
import type { AnswerDeps } from './chat-deps.js';
import { decisionHeaders } from './decision-headers.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './json-response.js';
import type { ServerResponse } from 'node:http';

/** The error type a refusal gets from the gate that sent the request there: the nearest one on its path (a budget, a rate limit). */
function refusalType(exchange: Exchange) {
  const kinds = new Map(exchange.policy.ruleFile.graph.nodes.map((n) => [n.id, n.kind]));
  for (const id of [...exchange.rule.event.params.path].reverse()) {
    const kind = kinds.get(id);
    const type = kind ? refusalTypeOf(kind) : null;
    if (type) return type;
  }
  return 'policy_blocked';
}

/** A request the policy refuses (a Block node, a spent budget, a rate limit): booked, then answered in its surface's error shape. */
export function refuse({ deps, res, exchange, wire = CHAT_WIRE }: { deps: AnswerDeps; res: ServerResponse; exchange: Exchange; wire?: AnswerWire }, refusal: { status: number; message: string; code: string }): void {
  const { status, message } = refusal;
  const error = new HttpError({ status, message, type: refusalType(exchange), code: refusal.code });
  bookExchange(deps.book, { exchange, outcome: { status, served: null, usage: null, cache: 'bypass', attempts: 0, error: message } }, () =>
    sendJson(res, { status, body: wire.error(status, error.toOpenAI()), headers: decisionHeaders(exchange, { model: null, cache: 'bypass', costUsd: 0 }) }),
  );
}
