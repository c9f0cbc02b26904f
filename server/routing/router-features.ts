import { TASK_TYPES } from '../../shared/facts.js';
import type { PromptShape } from '../../shared/routing/router-calibration.js';

type TaskType = (typeof TASK_TYPES)[number];

/** Hashed n-gram slots; the dense features follow them. Changing it changes the weights file format. */
export const HASH_DIM = 4096;

/** Named dense features, each scaled to about 0..1 so one L2 strength suits them all. */
export const DENSE_FEATURES = [
  'logChars',
  'logWords',
  'digitShare',
  'numbers',
  'mathMarkers',
  'codeMarkers',
  'questionMarks',
  'mcqOptions',
  'negatedQuestion',
  'longWordShare',
  'upperShare',
  'sentences',
  'lines',
  'distinctNumbers',
  'numberWords',
  'fractionsPercents',
  'units',
  'operationWords',
  'decimals',
  'largestNumber',
  'sentenceCount',
  'lastSentenceChars',
  'howManyMuch',
  'stepWords',
  'romanStatements',
  ...TASK_TYPES.map((t) => `task:${t}`),
] as const;

export const FEATURE_DIM = HASH_DIM + DENSE_FEATURES.length;

/** A sparse feature vector: parallel arrays of slot indices (ascending, unique) and values. */
export interface SparseVector {
  indices: number[];
  values: number[];
}

const WORD = /[a-z0-9]+/g;
const MATH = /[=+×÷^√∫∑π<>≤≥]|\b(equation|solve|integer|polynomial|derivative|integral|probability|ratio|percent|sum|product|matrix|prime|modulo|function|graph|log|sqrt|mean|median)\b/gi;
const CODE = /```|[{};]|\b(def|return|int|print|class|var|const|function|while|for|if)\b\s*\(/g;
const OPTION_LINE = /^\s*\(?[A-J][.)]\s/gm;
const NEGATED = /\b(NOT|EXCEPT|LEAST|FALSE|INCORRECT)\b/;
const NUMBER = /\d+(?:[.,]\d+)*/g;
// A word problem's reasoning load: how many quantities, units and operations it chains.
const NUMBER_WORD = /\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|dozen|half|twice|double|triple|thrice)\b/gi;
const FRACTION = /%|\bpercent|\bfraction|\b\d+\/\d+\b|\bhalf\b|\bthird|\bquarter|\bfifth/gi;
const UNIT = /\$|\b(dollars?|cents?|hours?|minutes?|seconds?|days?|weeks?|months?|years?|miles?|km|meters?|feet|inches|pounds?|kg|grams?|liters?|gallons?)\b/gi;
const OPERATION = /\b(each|per|every|times|more than|less than|fewer|left|remaining|remain|total|average|difference|twice|increase|decrease|discount|profit|rate|ratio|split|share|divided|sum)\b/gi;
const STEP = /\b(if|then|after|before|while|but|however|instead|remaining|rest)\b/gi;
const ROMAN_STATEMENT = /^\s*(I|II|III|IV)\b|\bStatement [12]\b/gm;
const SENTENCE_BREAK = /(?<=[.?!])\s+/;
const HOW_MANY = /\bhow (many|much)\b/i;

/** One round of a 32-bit multiplicative mix (murmur3's finaliser constants): stable on every platform. */
function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x5bd1e995);
  return (h ^ (h >>> 15)) >>> 0;
}

function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Marks which slots one prompt touched; reused across calls, reset before returning. */
const seen = new Uint8Array(HASH_DIM);

function addSlot(slots: number[], h: number): void {
  const slot = h % HASH_DIM;
  if (!seen[slot]) {
    seen[slot] = 1;
    slots.push(slot);
  }
}

// No closures in here: tsx wraps every closure in a naming helper, which costs more than the hashing.
function hashedSlots(words: readonly string[]): number[] {
  const slots: number[] = [];
  let previous = 0;
  for (const w of words) {
    const h = wordHash(w);
    addSlot(slots, mix(h, 1));
    if (previous) addSlot(slots, mix(mix(previous, 2), h));
    previous = h;
  }
  for (const slot of slots) seen[slot] = 0;
  return slots.sort(ascending);
}

const ascending = (a: number, b: number) => a - b;
const nonEmpty = (s: string) => s.length > 0;

/**
 * Multiple-choice (two or more option lines) or open: the two shapes score on different scales,
 * so the calibration keeps one threshold for each.
 */
export function promptShape(text: string): PromptShape {
  return count(clip(text), OPTION_LINE) >= 2 ? 'choice' : 'open';
}

/** The words and word pairs of a prompt with the slot each hashes to, for explaining a score. */
export function hashedTerms(fullText: string): { term: string; slot: number }[] {
  const words = clip(fullText).toLowerCase().match(WORD) ?? [];
  return words.flatMap((w, i) => [
    { term: w, slot: mix(wordHash(w), 1) % HASH_DIM },
    ...(i > 0 ? [{ term: `${words[i - 1]} ${w}`, slot: mix(mix(wordHash(words[i - 1]!), 2), wordHash(w)) % HASH_DIM }] : []),
  ]);
}

/** Head and tail of a long prompt: the question and its options sit at the ends; the middle costs time, not signal. */
const CLIP = 1200;
function clip(text: string): string {
  return text.length <= 2 * CLIP ? text : `${text.slice(0, CLIP)}\n${text.slice(-CLIP)}`;
}

const squash = (x: number, scale: number) => x / (x + scale);
const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

const TASK_ONE_HOT = Object.fromEntries(TASK_TYPES.map((t) => [t, TASK_TYPES.map((u) => (u === t ? 1 : 0))])) as Record<TaskType, number[]>;

function denseValues(text: string, words: string[], taskType: TaskType): number[] {
  const chars = text.length || 1;
  let digits = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) upper++;
  }
  let longWords = 0;
  for (const w of words) if (w.length >= 9) longWords++;
  const numbers = text.match(NUMBER) ?? [];
  let largest = 0;
  for (const n of numbers) largest = Math.max(largest, Math.log10(1 + Number(n.replace(/,/g, ''))) || 0);
  const sentences = text.split(SENTENCE_BREAK).filter(nonEmpty);
  return [
    Math.log1p(text.length) / 10,
    Math.log1p(words.length) / 8,
    digits / chars,
    squash(count(text, NUMBER), 5),
    squash(count(text, MATH), 3),
    squash(count(text, CODE), 3),
    squash(count(text, /\?/g), 2),
    count(text, OPTION_LINE) / 10,
    NEGATED.test(text) ? 1 : 0,
    words.length ? longWords / words.length : 0,
    upper / chars,
    squash(count(text, /[.!?](\s|$)/g), 5),
    squash(count(text, /\n/g), 8),
    squash(new Set(numbers).size, 4),
    squash(count(text, NUMBER_WORD), 2),
    squash(count(text, FRACTION), 1),
    squash(count(text, UNIT), 3),
    squash(count(text, OPERATION), 3),
    /\d\.\d/.test(text) ? 1 : 0,
    largest / 6,
    squash(sentences.length, 4),
    squash(sentences.at(-1)?.length ?? 0, 80),
    HOW_MANY.test(text) ? 1 : 0,
    squash(count(text, STEP), 2),
    squash(count(text, ROMAN_STATEMENT), 1),
    ...TASK_ONE_HOT[taskType],
  ];
}

/**
 * The router's view of a prompt: word unigrams and bigrams hashed into HASH_DIM slots (binary, L2-normalised, so long prompts do not dominate),
 * then the dense features (over at most 2,400 characters). `taskType` is the request fact of
 * the same name (server/facts/classify.ts), so the classifier runs once per request.
 * Deterministic: the same text always gives the same vector.
 */
export function routerFeatures(fullText: string, taskType: TaskType): SparseVector {
  const text = clip(fullText);
  const words = text.toLowerCase().match(WORD) ?? [];
  const indices = hashedSlots(words);
  const norm = indices.length ? 1 / Math.sqrt(indices.length) : 0;
  const values = new Array<number>(indices.length).fill(norm);
  const dense = denseValues(text, words, taskType);
  for (let k = 0; k < dense.length; k++) {
    indices.push(HASH_DIM + k);
    values.push(dense[k]!);
  }
  return { indices, values };
}
