import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

/**
 * The floor under any Node gateway, for `npm run bench -- --floor`: node:http in, undici out,
 * the body parsed once and the answer re-serialised, nothing else. What Tollgate adds beyond
 * this is its own work. argv: upstream origin (http://127.0.0.1:N). Prints `{"port":N}`.
 */
const origin = process.argv[2];
if (!origin) throw new Error('usage: bare-proxy-server <upstream origin>');
const pool = new Pool(origin, { connections: 64 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => {
    void forward(Buffer.concat(chunks), req.headers.authorization).then(
      (answer) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
        res.end(answer);
      },
      (error: unknown) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      },
    );
  });
});

async function forward(body: Buffer, authorization: string | undefined): Promise<Buffer> {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  const upstream = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: authorization ?? '' },
    body: JSON.stringify(parsed),
  });
  return Buffer.from(JSON.stringify(await upstream.body.json()));
}

server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
