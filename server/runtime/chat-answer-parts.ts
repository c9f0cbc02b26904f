/** The parts of a chat completion's answer that another surface's shape is built from (whole or as stream deltas). */
export interface ChatToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

export interface ChatMessageOut {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: ChatToolCall[];
}
