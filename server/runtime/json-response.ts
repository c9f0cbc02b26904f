import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

/** One writeHead and one end: the cheapest way Node sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}, raw?: string): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function header(req: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
