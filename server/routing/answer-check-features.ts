import { checkArithmetic } from './arithmetic-check.js';

/**
 * What the answer check reads in a cheap model's worked answer: signs that the answer is wrong
 * (a wrong sum, no final answer, a cut-off reply, hedging) and the prompt's load (how many
 * quantities it chains). Each value is scaled to about 0..1 so one L2 strength suits them all.
 * Changing the list changes the weights file format (server/routing/answer-check-weights.json).
 */
export const ANSWER_CHECK_FEATURES = [
  'wrongSums',
  'anyWrongSum',
  'checkedSums',
  'noFinalAnswer',
  'finalNotInteger',
  'finalNegative',
  'finalNotWorkedOut',
  'finalDiffersFromLastSum',
  'cutOff',
  'answerLength',
  'answerLines',
  'hedging',
  'finalMagnitude',
  'promptNumbers',
  'promptLength',
  'numbersPerLine',
  'promptNumbersUnused',
  'finalInPrompt',
] as const;

export type AnswerCheckFeature = (typeof ANSWER_CHECK_FEATURES)[number];

const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;
const FINAL_MARK = /####\s*\$?\s*(-?[\d,]*\.?\d+)/;
/** Phrases with which a worked answer closes when it has no "####" line. */
const FINAL_PHRASE = /(?:answer is|answer:|total of|in total|therefore[^.\n]*?|so[^.\n]*?)\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)[^\d]*$/i;
const HEDGE = /\b(however|assum\w*|approximately|about|roughly|round\w*|cannot|can't|not possible|impossible|unclear|seems|might|perhaps|wait|actually|mistake|correct(ed|ion)|re-?evaluate|let's (re)?check)\b/gi;

const squash = (x: number, scale: number) => x / (x + scale);
const toNumber = (s: string) => Number(s.replace(/,/g, ''));

/** The number a worked answer gives as its result: the "####" line, else the last number of a closing phrase, else the last number. */
export function finalNumber(answer: string): { value: number | null; marked: boolean } {
  const marked = answer.match(FINAL_MARK);
  if (marked) return { value: toNumber(marked[1]!), marked: true };
  const tail = answer.trim().split('\n').at(-1) ?? '';
  const phrase = tail.match(FINAL_PHRASE);
  if (phrase) return { value: toNumber(phrase[1]!), marked: false };
  const numbers = answer.match(NUMBER);
  return { value: numbers ? toNumber(numbers.at(-1)!) : null, marked: false };
}

/** The answer check's features of one cheap answer to one prompt, in ANSWER_CHECK_FEATURES order. Pure. */
export function answerCheckFeatures(prompt: string, answer: string): number[] {
  const sums = checkArithmetic(answer);
  const final = finalNumber(answer);
  const body = final.marked ? answer.slice(0, answer.search(/####/)) : answer;
  const bodyNumbers = new Set((body.match(NUMBER) ?? []).map(toNumber));
  const promptNumbers = new Set((prompt.match(NUMBER) ?? []).map(toNumber));
  const lines = answer.split('\n').filter((l) => l.trim().length > 0);
  const trimmed = answer.trimEnd();
  const value = final.value;
  return [
    squash(sums.wrong, 1),
    sums.wrong > 0 ? 1 : 0,
    squash(sums.checked, 4),
    final.marked ? 0 : 1,
    value !== null && !Number.isInteger(value) ? 1 : 0,
    value !== null && value < 0 ? 1 : 0,
    // A result that no step produced: with a "####" line, a number the working never reached.
    final.marked && value !== null && !bodyNumbers.has(value) ? 1 : 0,
    value !== null && sums.lastResult !== null && Math.abs(sums.lastResult - value) > 1e-9 ? 1 : 0,
    // A reply cut off by max_tokens ends mid-number or mid-word, not with a result.
    !final.marked && !/[.!?)\d*]\s*$/.test(trimmed) ? 1 : 0,
    Math.log1p(answer.length) / 8,
    squash(lines.length, 6),
    squash(answer.match(HEDGE)?.length ?? 0, 1),
    value === null ? 0 : Math.log10(1 + Math.abs(value)) / 6,
    squash(promptNumbers.size, 4),
    Math.log1p(prompt.length) / 8,
    lines.length ? squash((answer.match(NUMBER)?.length ?? 0) / lines.length, 3) : 0,
    // A quantity of the problem that the working never mentions was probably left out of it.
    promptNumbers.size ? [...promptNumbers].filter((n) => !bodyNumbers.has(n)).length / promptNumbers.size : 0,
    value !== null && promptNumbers.has(value) ? 1 : 0,
  ];
}
