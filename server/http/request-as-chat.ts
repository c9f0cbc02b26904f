import { z } from 'zod';
import { ChatCompletionRequestSchema, type ChatCompletionRequest } from '../../shared/api.js';
import { MessagesRequestSchema } from '../../shared/messages-api.js';
import { ResponsesRequestSchema } from '../../shared/responses-api.js';
import { parseBody, type ParseOptions } from '../errors/parse-body.js';
import { messagesToChat } from '../messages/messages-to-chat.js';
import { openTurn } from '../responses/conversation.js';
import type { ResponseStore } from '../responses/response-store.js';
import { responsesToChat } from '../responses/responses-to-chat.js';

/** The request shapes the runtime answers: a decision preview takes any of them, named by `api`. */
export const RequestApiSchema = z.enum(['chat', 'responses', 'messages'], { error: 'api is chat, responses or messages' }).default('chat');
export type RequestApi = z.infer<typeof RequestApiSchema>;

/**
 * A body in one of the answered APIs' shapes as the chat completion the pipeline decides on, just
 * as its own endpoint would read it (a Responses call's earlier turns included). Nothing is kept.
 */
export async function requestAsChat(api: RequestApi, body: unknown, o: ParseOptions & { responses: ResponseStore; owner: string }): Promise<ChatCompletionRequest> {
  const parse = { surface: o.surface, ...(o.at ? { at: o.at } : {}), ...(o.code ? { code: o.code } : {}) };
  if (api === 'chat') return parseBody(ChatCompletionRequestSchema, body, parse);
  const chat =
    api === 'messages'
      ? messagesToChat(parseBody(MessagesRequestSchema, body, parse))
      : responsesToChat((await openTurn(o.responses, parseBody(ResponsesRequestSchema, body, parse), { owner: o.owner })).request);
  return parseBody(ChatCompletionRequestSchema, chat, parse);
}
