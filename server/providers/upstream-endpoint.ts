import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { ProviderError } from './provider.js';
import { redactSecrets, redactValue } from './redact-secrets.js';
import { retryAfterMs } from './retry-after.js';
import type { UpstreamCall } from './upstream-call.js';

export type UpstreamResponse = Dispatcher.ResponseData;

/**
 * One provider base URL and its keep-alive connection pool, built once per provider so the hot
 * path never constructs a client. Deadlines are per call (UpstreamCall), so undici's own headers
 * timeout is off; its body timeout stays as an idle guard for streams past their first chunk.
 */
export class UpstreamEndpoint {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(baseUrl: string, private readonly headers: Record<string, string>) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 300_000 });
  }

  async post(path: string, payload: unknown, call: UpstreamCall, accept = 'application/json'): Promise<UpstreamResponse> {
    try {
      return await this.pool.request({
        path: this.basePath + path,
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/json', accept },
        body: JSON.stringify(payload),
        signal: call.signal,
      });
    } catch (error) {
      throw call.toError(error);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Reads a whole body as text, mapping socket errors and the deadline to ProviderErrors. */
export async function readText(response: UpstreamResponse, call: UpstreamCall): Promise<string> {
  try {
    return await response.body.text();
  } catch (error) {
    throw call.toError(error);
  }
}

export async function readJson(response: UpstreamResponse, call: UpstreamCall): Promise<Record<string, unknown>> {
  return (await readJsonWithText(response, call)).json;
}

/** The parsed object and the text it came from, for answers that can be passed on byte for byte. */
export async function readJsonWithText(response: UpstreamResponse, call: UpstreamCall): Promise<{ json: Record<string, unknown>; text: string }> {
  const text = await readText(response, call);
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError(`${call.provider} sent a body that is not a JSON object`, 'protocol', response.statusCode);
  }
  return { json: parsed as Record<string, unknown>, text };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface UpstreamFailure {
  /** The provider's error message, for ProviderError.message. */
  message: string;
  /** The body to hand the caller, in OpenAI's error shape. */
  body: unknown;
}

/**
 * Turns a non-2xx answer into a ProviderError. `describe` reads the provider's error shape;
 * the API key is redacted from both message and body in case the upstream echoed it back
 * (the registry's redacting wrapper does it again for every error, this keeps a bare provider safe).
 */
export async function failedResponse(
  response: UpstreamResponse,
  call: UpstreamCall,
  describe: (status: number, body: unknown, text: string) => UpstreamFailure,
  secret: string | undefined,
): Promise<ProviderError> {
  const text = await readText(response, call);
  const failure = describe(response.statusCode, parseJson(text), text);
  const retryAfter = response.statusCode === 429 || response.statusCode === 503 ? retryAfterMs(response.headers as IncomingHttpHeaders) : null;
  const redact = (text: string): string => redactSecrets(text, secret ? [secret] : []);
  return new ProviderError(
    redact(`${call.provider} answered ${response.statusCode}: ${failure.message}`),
    'http',
    response.statusCode,
    retryAfter,
    redactValue(failure.body, redact),
  );
}
