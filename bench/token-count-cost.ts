import { parseArgs } from 'node:util';
import { countTextTokensUncached } from '../server/facts/tokens.js';

/**
 * What counting one large text costs the thread that counts it (npx tsx bench/token-count-cost.ts
 * [--mb 4]): prose, one letter repeated, random letters and random printable characters (the
 * shape of a base64 blob), each that many million characters. Why texts of 64 KB or more are
 * counted on a worker thread (server/facts/token-counter.ts).
 */
const { values } = parseArgs({ options: { mb: { type: 'string', default: '4' } } });
const chars = Number(values.mb) * 1_000_000;
let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const randomText = (from: number, span: number) => Array.from({ length: chars }, () => String.fromCharCode(from + Math.floor(random() * span))).join('');
const sentence = 'The gateway routes each request to the cheapest model that keeps its quality, and books the cost to the team. ';
const shapes: Record<string, string> = {
  prose: sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars),
  oneLetter: 'y'.repeat(chars),
  randomLetters: randomText(97, 26),
  randomPrintable: randomText(33, 94),
};
countTextTokensUncached('warm the tokenizer');
const ms: Record<string, number> = {};
for (const [shape, text] of Object.entries(shapes)) {
  const started = performance.now();
  countTextTokensUncached(text);
  ms[shape] = Math.round(performance.now() - started);
  console.log(`${shape}: ${ms[shape]} ms for ${values.mb} MB`);
}
console.log(JSON.stringify({ megabytes: Number(values.mb), ms }));
