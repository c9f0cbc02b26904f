/**
 * The request every load run sends: a plain gpt-4o-mini chat with a short user message and no
 * tags, which the default policy (cost-router) routes to gpt-4o-mini on OpenAI.
 */
export const CHAT_BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
});

export const API_KEY = 'sk-bench';

export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  authorization: `Bearer ${API_KEY}`,
};

export const CHAT_PATH = '/v1/chat/completions';

/** Where a load run sends its requests: straight to the upstream or through a gateway. */
export interface Target {
  name: 'direct' | 'bare-proxy' | 'tollgate' | 'portkey';
  url: string;
  headers: Record<string, string>;
  /** The server process whose memory is read; none for the upstream alone. */
  pid?: number;
}
