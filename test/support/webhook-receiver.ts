import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookReceiver {
  url: string;
  /** Parsed JSON bodies, in arrival order. */
  bodies: { text: string }[];
  close(): Promise<void>;
}

/** A real Slack-style webhook receiver on 127.0.0.1; `status` picks each answer's status from the body's text (200 when absent). */
export async function webhookReceiver(status: (text: string) => number = () => 200): Promise<WebhookReceiver> {
  const bodies: { text: string }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { text: string };
      bodies.push(body);
      res.statusCode = status(body.text);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
