import { ChatCompletionRequestSchema, type ChatCompletionRequest, type RequestApi } from '../../shared/api.js';
import { EmbeddingsRequestSchema } from '../../shared/embeddings-api.js';
import type { RequestFacts } from '../../shared/facts.js';
import { MessagesRequestSchema } from '../../shared/messages-api.js';
import { ResponsesRequestSchema } from '../../shared/responses-api.js';
import { embeddingFacts, embeddingsAsChat, embeddingTexts } from '../embeddings/embedding-facts.js';
import { parseBody, type ParseOptions } from '../errors/parse-body.js';
import { requestFacts, type FactContext } from '../facts/request-facts.js';
import { largePromptTexts } from '../facts/tokens.js';
import { messagesToChat } from '../messages/messages-to-chat.js';
import type { JobLookup } from '../responses/background-turn.js';
import { openTurn } from '../responses/conversation.js';
import type { ResponseStore } from '../responses/response-store.js';
import { responsesToChat } from '../responses/responses-to-chat.js';


/** A request to decide, as the pipeline sees it. */
export interface DecisionRequest {
  /** The chat completion the policy decides on. */
  request: ChatCompletionRequest;
  /** Its static facts. */
  facts(context: FactContext): RequestFacts;
  /** The model that answers whatever the route names: an embeddings call's own. */
  servedModel?: string;
  /** The large texts its facts count, for counting off the event loop first. */
  largeTexts: string[];
}

/**
 * A body in one of the answered APIs' shapes as its endpoint would read it (a Responses call's
 * earlier turns included, an embeddings call with its own facts). Nothing is kept.
 */
export async function decisionRequest(api: RequestApi, body: unknown, o: ParseOptions & { responses: ResponseStore; owner: string; jobs?: JobLookup }): Promise<DecisionRequest> {
  const parse = { surface: o.surface, ...(o.at ? { at: o.at } : {}), ...(o.code ? { code: o.code } : {}) };
  if (api === 'embeddings') {
    const embeddings = parseBody(EmbeddingsRequestSchema, body, parse);
    return { request: embeddingsAsChat(embeddings), facts: (context) => embeddingFacts(embeddings, context), servedModel: embeddings.model, largeTexts: embeddingTexts(embeddings) };
  }
  const chat = (request: ChatCompletionRequest): DecisionRequest => ({ request, facts: (context) => requestFacts(request, context), largeTexts: largePromptTexts(request.messages) });
  if (api === 'chat') return chat(parseBody(ChatCompletionRequestSchema, body, parse));
  const converted =
    api === 'messages'
      ? messagesToChat(parseBody(MessagesRequestSchema, body, parse))
      : responsesToChat((await openTurn(o.responses, parseBody(ResponsesRequestSchema, body, parse), { owner: o.owner, ...(o.jobs ? { jobs: o.jobs } : {}) })).request);
  return chat(parseBody(ChatCompletionRequestSchema, converted, parse));
}
