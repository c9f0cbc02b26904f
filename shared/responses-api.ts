import { z } from 'zod';
import { contentError } from './content-error.js';

/* ---------- POST /v1/responses: OpenAI's Responses API, served through the chat pipeline ---------- */

const InputTextSchema = z.object({ type: z.literal('input_text'), text: z.string() });
const OutputTextSchema = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const InputImageSchema = z.object({
  type: z.literal('input_image'),
  image_url: z.string().min(1, 'Tollgate takes images as URLs or data URLs (file_id needs the provider’s file store)'),
  detail: z.enum(['low', 'high', 'auto']).optional(),
});
const ContentPartSchema = z.discriminatedUnion('type', [InputTextSchema, OutputTextSchema, InputImageSchema], {
  error: 'a content part is input_text, input_image or output_text',
});

const MessageItemSchema = z.object({
  type: z.literal('message'),
  role: z.enum(['user', 'system', 'developer', 'assistant']),
  content: z.union([z.string(), z.array(ContentPartSchema).min(1, 'at least one content part is required')], { error: contentError(ContentPartSchema, 'content part') }),
  id: z.string().optional(),
  status: z.string().optional(),
});
const FunctionCallItemSchema = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
  status: z.string().optional(),
});
const FunctionCallOutputItemSchema = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.string(),
  id: z.string().optional(),
  status: z.string().optional(),
});
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An item without `type` is a message, as the API has it; keyed by type, an error names the field inside the item. */
export const InputItemSchema = z.preprocess(
  (v) => (isObject(v) && !('type' in v) ? { ...v, type: 'message' } : v),
  z.discriminatedUnion('type', [MessageItemSchema, FunctionCallItemSchema, FunctionCallOutputItemSchema], {
    error: 'an input item is a message ({role, content}), a function_call or a function_call_output',
  }),
);
export type InputItem = z.infer<typeof InputItemSchema>;

export const FunctionToolSchema = z.object({
  type: z.literal('function', { error: 'Tollgate serves function tools only; built-in tools (web search, file search, code interpreter…) run inside OpenAI' }),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
export type FunctionTool = z.infer<typeof FunctionToolSchema>;

const TextFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullable().optional(),
  }),
]);

/** Conversations (a server-side object of their own) are refused by name rather than ignored. */
const unsupported = (what: string) => z.null({ error: `${what} is not served by Tollgate: continue a conversation with previous_response_id, or send it whole in input` }).optional();

export const ResponsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  /** A string is one user message. */
  input: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? [{ type: 'message', role: 'user', content: v }] : v),
    z.array(InputItemSchema, { error: (issue) => (typeof issue.input === 'string' ? 'input must not be empty' : 'input is a string or an array of input items') }).min(1, 'at least one input item is required'),
  ),
  instructions: z.string().nullable().optional(),
  max_output_tokens: z.number().int().min(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  tools: z.array(FunctionToolSchema).optional(),
  tool_choice: z
    .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), name: z.string().min(1) })])
    .optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z.object({ format: TextFormatSchema.optional() }).optional(),
  reasoning: z.object({ effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional() }).nullable().optional(),
  user: z.string().optional(),
  /** Attribution tags, as on chat completions: merged with the `x-tollgate-tags` header. */
  metadata: z.record(z.string(), z.string()).optional(),
  /** As on OpenAI, a response is kept (for previous_response_id, retrieval and its input items) unless this is false. */
  store: z.boolean().nullable().optional(),
  /** A kept response of the same caller: its conversation (not its instructions) goes before this input. */
  previous_response_id: z.string().min(1, 'previous_response_id must not be empty').max(200).nullable().optional(),
  conversation: unsupported('conversation'),
  /** Asks for the batch lane (as `x-tollgate-defer: batch`): answered queued where the policy's path has one, at once elsewhere. */
  background: z.boolean().nullable().optional(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequestSchema>;

/** GET /v1/responses/{id}/input_items: a page of a kept response's own input items, newest first unless asked otherwise. */
export const InputItemsQuerySchema = z.object({
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).optional(),
});
export type InputItemsQuery = z.infer<typeof InputItemsQuerySchema>;
