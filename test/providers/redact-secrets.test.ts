import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { ProviderError } from '../../server/providers/provider.js';
import { createRedactor, redactSecrets, redactValue } from '../../server/providers/redact-secrets.js';
import { redactedError } from '../../server/providers/redacting-provider.js';

describe('redactSecrets', () => {
  it('removes configured keys wherever they appear, longest first', () => {
    expect(redactSecrets('key abc123secret and abc123secret-long', ['abc123secret', 'abc123secret-long'])).toBe('key [redacted] and [redacted]');
  });

  it('removes bearer credentials and sk-, sk-proj-, sk-ant- shaped keys nobody configured', () => {
    const text = 'key Bearer sk-live-0123456789 revoked; also sk-proj-AbC_123-xyz and sk-ant-api03-QQQQQQQQ; bearer  tok.en/123=';
    const out = redactSecrets(text);
    expect(out).toBe('key Bearer [redacted] revoked; also [redacted] and [redacted]; Bearer [redacted]');
  });

  it('removes Google API keys (what GEMINI_API_KEY holds) by their AIza shape', () => {
    const key = `AIza${'Sy0123456789abcdefghijklmnopqrs_-XY'}`;
    expect(key).toHaveLength(39);
    expect(redactSecrets(`API key not valid: ${key}. Please pass a valid API key.`)).toBe('API key not valid: [redacted]. Please pass a valid API key.');
    expect(redactSecrets('AIzaShort stays')).toBe('AIzaShort stays');
  });

  it('keeps JSON valid and leaves ordinary text alone', () => {
    const json = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abcdef123456' } });
    expect(JSON.parse(redactSecrets(json))).toEqual({ error: { message: 'Incorrect API key provided: [redacted]' } });
    expect(redactSecrets('model gpt-4o-mini is overloaded, ask-later, task-123')).toBe('model gpt-4o-mini is overloaded, ask-later, task-123');
  });

  it('redacts every string in a nested value, errors included', () => {
    const redact = createRedactor(['k-secret-1', undefined, '']);
    const error = Object.assign(new ProviderError('Bearer zzz', 'http', 401), { detail: 'k-secret-1' });
    const value = redactValue({ a: ['x k-secret-1 y', 3, null], b: { c: error } }, redact) as { a: unknown[]; b: { c: ProviderError } };
    expect(value.a).toEqual(['x [redacted] y', 3, null]);
    expect(value.b.c).toBeInstanceOf(ProviderError);
    expect(value.b.c).toMatchObject({ message: 'Bearer [redacted]', status: 401, detail: '[redacted]' });
    expect(value.b.c.stack).not.toContain('zzz');
  });

  it('gives a redacted copy of a ProviderError, kind, status and retry hint kept', () => {
    const error = new ProviderError('openai stream failed: key k-secret-1 revoked', 'http', 401, 500, { error: { message: 'k-secret-1' } });
    const clean = redactedError(error, createRedactor(['k-secret-1']));
    expect(clean).toMatchObject({ kind: 'http', status: 401, retryAfterMs: 500, message: 'openai stream failed: key [redacted] revoked', body: { error: { message: '[redacted]' } } });
  });
});

describe('createLogger', () => {
  it('writes no configured key or secret shape into a log line, in the message or any field', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLogger('info', ['oa-secret-7f3a9c1d2e'], sink);
    const err = Object.assign(new Error('Bearer sk-abcdef123456'), { code: 'EPIPE' });
    log.warn({ error: 'upstream said oa-secret-7f3a9c1d2e', err }, 'failed with oa-secret-7f3a9c1d2e');
    expect(out).not.toContain('oa-secret-7f3a9c1d2e');
    expect(out).not.toContain('sk-abcdef123456');
    expect(out).toContain('[redacted]');
    expect(JSON.parse(out)).toMatchObject({ msg: 'failed with [redacted]', error: 'upstream said [redacted]', err: { type: 'Error', message: 'Bearer [redacted]', code: 'EPIPE' } });
  });
});
