/** Anthropic's Messages API, where its SDKs send `messages.create` under a base URL of this gateway. */
export const MESSAGES_PATH = '/v1/messages';
