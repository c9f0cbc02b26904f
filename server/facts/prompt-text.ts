import type { RequestFacts } from '../../shared/facts.js';

/**
 * The last user turn of the request a facts object was derived from. It travels beside the
 * facts rather than in them, so conditions cannot test raw prompt text and /v1/decide does not
 * echo it back; a resolver that needs it (the learned router) reads it here.
 */
const promptTexts = new WeakMap<RequestFacts, string>();

export function rememberPromptText(facts: RequestFacts, text: string): RequestFacts {
  promptTexts.set(facts, text);
  return facts;
}

export function promptTextOf(facts: RequestFacts): string {
  return promptTexts.get(facts) ?? '';
}
