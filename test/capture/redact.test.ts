import { describe, expect, it } from 'vitest';
import { createRedactor, luhnValid } from '../../server/capture/redact.js';

const redactor = createRedactor('fixed-test-salt');
const r = (text: string) => redactor.text(text);

describe('redaction before capture', () => {
  it('replaces emails, phone numbers, card numbers and key shapes', () => {
    const out = r('Mail jane.doe+work@example.co.uk or call +1 415 555 0134 / (020) 7946 0958 / +447911123456.');
    expect(out).not.toMatch(/jane|example|415|7946|7911/);
    expect(out.match(/\[redacted-email:[0-9a-f]{8}\]/g)).toHaveLength(1);
    expect(out.match(/\[redacted-phone:[0-9a-f]{8}\]/g)).toHaveLength(3);

    const keys = r('key sk-proj-AbCdEf0123456789xyzXYZ and Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def and sk_live_51H8abcdefghijklmnop');
    expect(keys).not.toMatch(/AbCdEf|eyJhbGci|51H8abc/);
    expect(keys.match(/\[redacted-key:/g)).toHaveLength(3);
  });

  it('takes card numbers that pass Luhn and keeps other long numbers', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(r('card 4111 1111 1111 1111 exp 12/29')).toMatch(/^card \[redacted-card:[0-9a-f]{8}\] exp 12\/29$/);
    expect(r('card 5500-0000-0000-0004')).toMatch(/\[redacted-card:/);
    expect(r('order 4111111111111112 shipped')).toBe('order 4111111111111112 shipped');
  });

  it('leaves ordinary text, dates, times, sums and model names alone', () => {
    for (const text of ['Meet on 2025-06-02 at 10:30.', 'What is 1234 + 5678?', 'Use gpt-4o-2024-08-06 for this', 'Version 3.11.4 of the tool', 'Skip the risky task']) {
      expect(r(text)).toBe(text);
    }
  });

  it('gives the same value the same mark, so replayed cache keys stay apart for different values', () => {
    expect(r('a@b.io')).toBe(r('a@b.io'));
    expect(r('a@b.io')).not.toBe(r('c@d.io'));
    expect(createRedactor('another-salt').text('a@b.io')).not.toBe(r('a@b.io'));
  });

  it('redacts every string of a request but the model', () => {
    const request = {
      model: 'gpt-4o',
      user: 'bob@corp.com',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'I am bob@corp.com' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'call', arguments: '{"phone":"+1 415 555 0134"}' } }] },
      ],
    };
    const out = JSON.stringify(redactor.value(request, new Set(['model'])));
    expect(out).not.toMatch(/bob@corp|415 555/);
    expect(out).toContain('"model":"gpt-4o"');
    expect(JSON.stringify(request)).toContain('bob@corp.com');
  });
});
