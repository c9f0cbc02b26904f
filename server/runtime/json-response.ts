import type { ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

/** One writeHead and one end: the cheapest way Node sends a JSON answer. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  headers?: Headers;
  /** The body's JSON text when it is already at hand (a provider's answer passed on byte for byte). */
  raw?: string;
}

export function sendJson(res: ServerResponse, { status, body, headers = {}, raw }: JsonAnswer): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function header(req: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
