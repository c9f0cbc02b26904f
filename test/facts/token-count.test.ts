import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countTextTokens } from '../../server/facts/tokens.js';

/**
 * Token counts in time linear in the text: the tokenizer is quadratic in a run without
 * whitespace, so such a run is counted in pieces; everything else is counted exactly.
 */
describe('countTextTokens', () => {
  it('counts text without a long run exactly as the tokenizer does', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9,.;:!?'"()-]{1,40}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, fc.constantFrom(' ', '\n', '  ', '\t')), { maxLength: 200 }), (parts) => {
        const text = parts.map(([w, space]) => w + space).join('');
        expect(countTextTokens(text)).toBe(countTokens(text));
      }),
      { numRuns: 200 },
    );
  });

  it('counts a long run within a fraction of a percent of the tokenizer, in pieces', () => {
    const blob = randomBytes(12_000).toString('base64');
    const text = `Decode this attachment: ${blob} and tell me what it is.`;
    const exact = countTokens(text);
    expect(Math.abs(countTextTokens(text) - exact) / exact).toBeLessThan(0.005);
    expect(countTextTokens('y'.repeat(16_000))).toBe(countTokens('y'.repeat(16_000)));
    // A run of whitespace is one piece to the tokenizer too.
    const padded = `Name:${' '.repeat(5_000)}Ada\n${'\n'.repeat(3_000)}End`;
    expect(Math.abs(countTextTokens(padded) - countTokens(padded))).toBeLessThanOrEqual(35);
  });

  it('counts a 1 MB prompt that is one run of letters or of spaces (which the tokenizer alone takes minutes on)', () => {
    expect(countTextTokens(' '.repeat(1_000_000))).toBe(7_813);
    // Four repeated letters are one token, as the tokenizer counts 16,000 of them.
    expect(countTextTokens('y'.repeat(1_000_000))).toBe(250_000);
  });
});
