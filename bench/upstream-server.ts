import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal OpenAI-compatible upstream for the bench, run in its own process: answers
 * POST /v1/chat/completions with one fixed small chat.completion (with usage), and
 * GET /stats with how many completions it served, so the bench can prove a gateway really
 * forwarded. Prints `{"port":N}` once listening on 127.0.0.1.
 */
const COMPLETION = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 14, completion_tokens: 9, total_tokens: 23 },
    system_fingerprint: 'fp_bench',
  }),
);

let served = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
    // The body is drained, not parsed: parsing would put the upstream's own cost into "direct".
    req.resume();
    req.once('end', () => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': COMPLETION.length });
      res.end(COMPLETION);
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ served }));
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
