import { z } from 'zod';
import { contentError } from './content-error.js';

/* ---------- POST /v1/messages: Anthropic's Messages API, served through the chat pipeline ---------- */

/** Prompt caching is the policy's to place (its Prompt cache node); a caller's own marks are accepted and dropped. */
const cacheControl = z.unknown().optional();

const TextBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl });
const ImageBlockSchema = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion(
    'type',
    [
      z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
      z.object({ type: z.literal('url'), url: z.string().min(1) }),
    ],
    { error: 'an image source is {type: "base64", media_type, data} or {type: "url", url} (file ids need the provider’s file store)' },
  ),
  cache_control: cacheControl,
});
const ToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});
const ToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextBlockSchema, ImageBlockSchema], { error: 'a tool result holds text and image blocks' }))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});
/** An earlier answer's reasoning, sent back in the history: accepted and dropped, since chat providers take none. */
const ThinkingBlockSchema = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
const RedactedThinkingBlockSchema = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });
const BLOCK_TYPES = 'text, image, tool_use, tool_result, thinking or redacted_thinking';
const ContentBlockSchema = z.discriminatedUnion('type', [TextBlockSchema, ImageBlockSchema, ToolUseBlockSchema, ToolResultBlockSchema, ThinkingBlockSchema, RedactedThinkingBlockSchema], {
  error: `a content block is ${BLOCK_TYPES} (documents and search results are not served by Tollgate)`,
});
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
export type ImageBlock = z.infer<typeof ImageBlockSchema>;

/** Who may send which block, as Anthropic has it: tools are called by the assistant and answered by the user. */
const ASSISTANT_ONLY = new Set(['tool_use', 'thinking', 'redacted_thinking']);
const USER_ONLY = new Set(['tool_result', 'image']);

const MessageSchema = z
  .object({
    role: z.enum(['user', 'assistant'], { error: 'role is user or assistant (the system prompt goes in system)' }),
    content: z.union([z.string(), z.array(ContentBlockSchema).min(1, 'at least one content block is required')], { error: contentError(ContentBlockSchema, 'content block') }),
  })
  .superRefine((m, ctx) => {
    if (typeof m.content === 'string') return;
    const wrong = m.role === 'user' ? ASSISTANT_ONLY : USER_ONLY;
    const at = m.content.findIndex((b) => wrong.has(b.type));
    if (at >= 0) ctx.addIssue({ code: 'custom', path: ['content', at, 'type'], message: `a ${m.role} turn cannot hold a ${m.content[at]!.type} block` });
  });
export type AnthropicMessage = z.infer<typeof MessageSchema>;
const MessagesSchema = z.array(MessageSchema).min(1, 'at least one message is required');

const ToolSchema = z.object({
  // First, so a server tool is named as one rather than as a tool missing its input_schema.
  type: z.literal('custom', { error: 'Tollgate serves custom tools only ({name, input_schema}); Anthropic’s server tools (web search, code execution…) run inside Anthropic' }).optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

const ToolChoiceSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
    z.object({ type: z.literal('none') }),
  ],
  { error: 'tool_choice is {type: "auto" | "any" | "none"} or {type: "tool", name}' },
);

export const MessagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  /** Required by the Messages API, so it is here too: a caller's code that works against Anthropic works against Tollgate. */
  max_tokens: z.number().int().min(1),
  messages: MessagesSchema
    // Chat providers answer a new turn; they cannot continue a prefilled one, so it is refused rather than answered differently.
    .refine((m) => m.at(-1)?.role !== 'assistant', { error: 'the last message is the user’s: Tollgate cannot continue a prefilled assistant turn (chat providers answer a new turn)' }),
  system: z.union([z.string(), z.array(TextBlockSchema)], { error: 'system is a string or an array of text blocks' }).optional(),
  stop_sequences: z.array(z.string()).max(4, 'at most 4 stop sequences (the most the chat providers behind Tollgate take)').optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  /** Accepted and dropped: the chat providers behind a policy have no top_k. */
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  tools: z.array(ToolSchema).optional(),
  tool_choice: ToolChoiceSchema.optional(),
  /**
   * Accepted and not passed on: the chat providers behind a policy take no thinking budget (a
   * non-reasoning model refuses one), so the answer comes without thinking blocks, as a model that
   * chose not to think answers.
   */
  thinking: z.looseObject({ type: z.enum(['enabled', 'disabled', 'adaptive'], { error: 'thinking.type is enabled, disabled or adaptive' }) }).optional(),
  mcp_servers: z.array(z.unknown()).max(0, 'MCP servers are connected by Anthropic’s own API, not by Tollgate: call the tools from your code').optional(),
  container: z.null({ error: 'containers (code execution) run inside Anthropic and are not served by Tollgate' }).optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

/** POST /v1/messages/count_tokens: a Messages request without the answer's settings; a history that ends in the assistant's answer may be counted too. */
export const CountTokensRequestSchema = MessagesRequestSchema.partial({ max_tokens: true }).extend({ messages: MessagesSchema });
export type CountTokensRequest = z.infer<typeof CountTokensRequestSchema>;
