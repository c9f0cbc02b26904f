import type { ResponsesRequest } from '../../shared/responses-api.js';
import { HttpError } from '../errors/http-error.js';
import { answered, settled, type JobLookup } from './background-turn.js';
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
 * the answer is kept unless `store` is false (a background one as it is accepted, completed from
 * its batch job once that has answered; `jobs` reads them).
 */
export async function openTurn(store: ResponseStore, request: ResponsesRequest, o: { owner: string; jobs?: JobLookup }): Promise<Turn> {
  const previousId = request.previous_response_id ?? null;
  const settle = (record: StoredResponse) => (o.jobs ? settled(record, { jobs: o.jobs, store }) : record);
  const found = previousId ? await store.get(previousId, o.owner) : null;
  if (previousId && !found) throw previousNotFound(previousId, store.enabled);
  const previous = found ? settle(found) : null;
  if (previous && !answered(previous.response)) throw previousNotAnswered(previous);
  const before = previous ? await store.getMany(previous.earlier, o.owner) : [];
  const gone = before.findIndex((record) => record === null);
  if (gone >= 0) throw earlierTurnGone(previous!.earlier[gone]!);
  const chain = previous ? [...(before as StoredResponse[]).map(settle), previous] : [];
  const prior = conversationOf(chain);
  const earlier = chain.map((record) => record.id);
  const keep = store.enabled && request.store !== false;
  return {
    request: prior.length ? { ...request, input: [...prior, ...request.input] } : request,
    previousId,
    remember: keep
      ? (response, kept) => {
          const record = storedResponseOf({ response, owner: o.owner, input: request.input, earlier, previous, pending: kept?.pending, now: Date.now(), keepMs: store.keepMs });
          return store.put(record, turnsToExtend(record, previous));
        }
      : null,
  };
}

function previousNotFound(id: string, enabled: boolean): HttpError {
  return new HttpError({
    status: 400,
    message: enabled
      ? `Previous response with id "${id.slice(0, 64)}" not found: it was not kept (store: false), has expired, or belongs to another service key`
      : 'previous_response_id needs kept responses, which are turned off here (TOLLGATE_RESPONSES_DISK_BYTES=0); send the whole conversation in input',
    field: 'previous_response_id',
    code: 'previous_response_not_found',
  });
}

function previousNotAnswered(previous: StoredResponse): HttpError {
  const status = String(previous.response.status);
  return new HttpError({
    status: 400,
    message: `Previous response "${previous.id}" is ${status === 'failed' ? 'a failed background response' : `still ${status} (a background response)`}: a conversation continues from an answered response; poll GET /v1/responses/${previous.id} until it is completed`,
    field: 'previous_response_id',
    code: status === 'failed' ? 'previous_response_failed' : 'previous_response_in_progress',
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
