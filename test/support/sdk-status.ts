import OpenAI from 'openai';

/** The HTTP status an official-SDK call ended with: 200, the API error's, or -1 for anything else (a dropped connection). */
export function statusOf(call: Promise<unknown>): Promise<number> {
  return call.then(
    () => 200,
    (e: unknown) => (e instanceof OpenAI.APIError ? (e.status ?? -1) : -1),
  );
}
