import type { ResponsesRequest } from '../../shared/responses-api.js';
import { HttpError } from '../errors/http-error.js';
import type { ResponseStore } from './response-store.js';
import type { KeptTurn } from './responses-wire.js';
import { conversationOf, storedResponseOf, turnsToExtend, type StoredResponse } from './stored-response.js';

export interface Turn extends KeptTurn {
  /** The request with the earlier conversation before its own input, as the pipeline answers it. */
  request: ResponsesRequest;
}

/**
 * One turn of a Responses API conversation. With previous_response_id, the kept conversation
 * (earlier input and output, not earlier instructions, as OpenAI has it) goes before this input;
 * the answer is kept unless `store` is false (one deferred to the batch lane is read back from its
 * job instead, and is not kept).
 */
export async function openTurn(store: ResponseStore, request: ResponsesRequest, o: { owner: string }): Promise<Turn> {
  const previousId = request.previous_response_id ?? null;
  const previous = previousId ? await store.get(previousId, o.owner) : null;
  if (previousId && !previous) throw previousNotFound(previousId, store.enabled);
  const before = previous ? await store.getMany(previous.earlier, o.owner) : [];
  const gone = before.findIndex((record) => record === null);
  if (gone >= 0) throw earlierTurnGone(previous!.earlier[gone]!);
  const chain = previous ? [...(before as StoredResponse[]), previous] : [];
  const prior = conversationOf(chain);
  const earlier = chain.map((record) => record.id);
  const keep = store.enabled && request.store !== false;
  return {
    request: prior.length ? { ...request, input: [...prior, ...request.input] } : request,
    previousId,
    remember: keep
      ? (response) => {
          const record = storedResponseOf({ response, owner: o.owner, input: request.input, earlier, previous, now: Date.now(), keepMs: store.keepMs });
          store.put(record, turnsToExtend(record, previous));
        }
      : null,
  };
}

function previousNotFound(id: string, enabled: boolean): HttpError {
  return new HttpError({
    status: 400,
    message: enabled
      ? `Previous response with id "${id.slice(0, 64)}" not found: it was not kept (store: false, or deferred to the batch lane), has expired, or belongs to another service key`
      : 'previous_response_id needs kept responses, which are turned off here (TOLLGATE_RESPONSES_DISK_BYTES=0); send the whole conversation in input',
    field: 'previous_response_id',
    code: 'previous_response_not_found',
  });
}

function earlierTurnGone(id: string): HttpError {
  return new HttpError({
    status: 400,
    message: `An earlier response of this conversation ("${id}") is no longer kept (deleted, expired or evicted), so the conversation cannot be continued; send it whole in input`,
    field: 'previous_response_id',
    code: 'previous_response_not_found',
  });
}
