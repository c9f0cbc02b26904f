import { decode, encode } from 'gpt-tokenizer';

/** FNV-1a, 32 bits: a stable seed from the model and the prompt, the same on every machine. */
export function hash32(text: string, from = 0x811c9dc5): number {
  let h = from;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** hash32 of `${model}\0${prompt}`, without building that string (FNV-1a runs on). */
export function promptHash(model: string, prompt: string): number {
  return hash32(prompt, hash32('\u0000', hash32(model)));
}

/** mulberry32: a tiny seeded generator, enough to pick words reproducibly. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPENERS = ['In short,', 'Broadly,', 'To answer directly,', 'From what you describe,', 'Put simply,', 'On balance,'];
const SUBJECTS = ['the approach', 'this option', 'the first step', 'a careful plan', 'the main trade-off', 'the simplest fix', 'the cost', 'the result'];
const VERBS = ['depends on', 'comes down to', 'is shaped by', 'benefits from', 'tends to follow', 'should account for', 'rests on'];
const OBJECTS = [
  'how much context you keep',
  'the size of the input',
  'clear requirements',
  'a small test first',
  'the constraints you mentioned',
  'what matters most to your users',
  'measuring before optimising',
  'the data you already have',
];
const CLOSERS = ['in most cases.', 'over time.', 'for a first version.', 'when the load grows.', 'if you keep it simple.', 'as a rule of thumb.'];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

export interface SimulatedText {
  text: string;
  tokens: number;
  truncated: boolean;
}

/**
 * A deterministic answer of realistic length (roughly 40 to 200 tokens) that says it is
 * simulated, cut at `maxTokens` tokens when the caller set a limit.
 */
export function simulatedAnswer(model: string, prompt: string, maxTokens: number | null): SimulatedText {
  const random = seeded(promptHash(model, prompt));
  // The topic is the prompt's first 60 characters, spaces collapsed: read from its start, not all of a 4 MB prompt.
  const topic = prompt.slice(0, 600).replace(/\s+/g, ' ').trim().slice(0, 60);
  const sentences = [`[simulated ${model}] This is an offline answer${topic ? ` to "${topic}"` : ''}.`];
  const count = 2 + Math.floor(random() * 7);
  for (let i = 0; i < count; i++) {
    sentences.push(`${pick(OPENERS, random)} ${pick(SUBJECTS, random)} ${pick(VERBS, random)} ${pick(OBJECTS, random)} ${pick(CLOSERS, random)}`);
  }
  const text = sentences.join(' ');
  const tokens = encode(text);
  if (maxTokens === null || tokens.length <= maxTokens) return { text, tokens: tokens.length, truncated: false };
  return { text: decode(tokens.slice(0, maxTokens)), tokens: maxTokens, truncated: true };
}

/**
 * The simulated answer to a request for JSON, as a provider's JSON mode gives it: an object with
 * the answer text (and a placeholder for each key a schema requires), cut at `maxTokens` like
 * any answer, which leaves it unparsable as a real cut-off answer would be.
 */
export function simulatedJson(answer: string, required: readonly string[], maxTokens: number | null): SimulatedText {
  const text = JSON.stringify({ ...Object.fromEntries(required.map((k) => [k, 'simulated'])), answer });
  const tokens = encode(text);
  if (maxTokens === null || tokens.length <= maxTokens) return { text, tokens: tokens.length, truncated: false };
  return { text: decode(tokens.slice(0, maxTokens)), tokens: maxTokens, truncated: true };
}

/** Splits text into stream pieces of a few words each, keeping the spaces so the pieces concatenate back. */
export function streamPieces(text: string, wordsPerPiece = 3): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerPiece) pieces.push(words.slice(i, i + wordsPerPiece).join(''));
  return pieces;
}
