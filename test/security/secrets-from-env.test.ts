import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { secretsFromEnv } from '../../server/security/secrets-from-env.js';

describe('secretsFromEnv', () => {
  it("lists provider keys and Tollgate's own tokens, skipping unset ones, so no log line prints them", () => {
    const groq = { name: 'groq', baseUrl: 'http://127.0.0.1:1/v1', keyEnv: 'GROQ_API_KEY', prices: { m: { input: 1, output: 1 } } };
    const env = { TOLLGATE_PROVIDERS: JSON.stringify([groq]), GROQ_API_KEY: 'gsk-key-123456', OPENAI_API_KEY: 'oa-key-123456', TOLLGATE_ADMIN_TOKEN: 'admin-token-0123456789', TOLLGATE_KEY_SECRET: 'key-secret-0123456789', TOLLGATE_VIEWER_TOKEN: '' };
    expect(secretsFromEnv(env).sort()).toEqual(['admin-token-0123456789', 'gsk-key-123456', 'key-secret-0123456789', 'oa-key-123456']);
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    createLogger('info', secretsFromEnv(env), sink).warn({ note: 'token admin-token-0123456789 seen' }, 'secret key-secret-0123456789');
    expect(out).not.toContain('admin-token-0123456789');
    expect(out).not.toContain('key-secret-0123456789');
    expect(JSON.parse(out)).toMatchObject({ msg: 'secret [redacted]', note: 'token [redacted] seen' });
  });
});
