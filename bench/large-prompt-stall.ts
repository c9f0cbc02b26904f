import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

/**
 * How long one caller's huge prompt holds everyone else (npx tsx bench/large-prompt-stall.ts
 * --url http://127.0.0.1:8787 [--mb 4] [--rounds 5]): sends a chat completion of that many
 * megabytes of prose, each round a different text so no count is found kept, while a second
 * client asks /health back to back. The longest /health wait is the time the runtime's event loop
 * was held by the large request's work (parse, count, classify, trim, book). Start the runtime
 * first, on the example policies and the simulator (npm start, or npx tsx server/main.ts).
 */
const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:8787' }, mb: { type: 'string', default: '4' }, rounds: { type: 'string', default: '5' } } });
const base = values.url.replace(/\/$/, '');
const chars = Number(values.mb) * 1_000_000;
const rounds = Number(values.rounds);
const sentence = 'The gateway routes each request to the cheapest model that keeps its quality, and books the cost to the team. ';

const worst: number[] = [];
for (let round = 0; round < rounds; round++) {
  const content = `${round} ${Date.now()} ${sentence.repeat(Math.ceil(chars / sentence.length))}`.trimEnd();
  let answered = false;
  let longest = 0;
  const started = performance.now();
  const large = fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
  }).then(async (res) => {
    await res.text();
    answered = true;
    if (!res.ok) throw new Error(`the large request got ${res.status}`);
  });
  const pings = (async () => {
    while (!answered) {
      const at = performance.now();
      await (await fetch(`${base}/health`)).text();
      longest = Math.max(longest, performance.now() - at);
    }
  })();
  await large;
  await pings;
  worst.push(Math.round(longest));
  console.log(`round ${round + 1}: large request answered in ${Math.round(performance.now() - started)} ms; longest /health wait ${Math.round(longest)} ms`);
}
const sorted = [...worst].sort((a, b) => a - b);
console.log(JSON.stringify({ megabytes: Number(values.mb), rounds, longestHealthWaitMs: { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) } }));
