import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../server/capture/redact.js';
import { classify } from '../../server/facts/classify.js';
import { countTextTokens } from '../../server/facts/tokens.js';
import { trimRequest } from '../../server/runtime/trim-request.js';

/**
 * What reads a prompt on the request path reads it in one pass. Each text here is 1 MB shaped
 * against a pattern that once backtracked quadratically over it, holding the event loop for
 * minutes while every other caller waited; each now gives its answer within the test's time.
 */
const MB = 1_000_000;

describe('1 MB of adversarial text', () => {
  it('is classified: a run of blank lines before code, and a run of digits', () => {
    expect(classify({ text: `${'\n'.repeat(MB)}import os`, promptTokens: 10, messageCount: 1, hasTools: false }).taskType).toBe('code');
    expect(classify({ text: '7'.repeat(MB), promptTokens: 10, messageCount: 1, hasTools: false }).taskType).toBe('chat');
    expect(classify({ text: `${' '.repeat(MB)}what is 12 + 30?`, promptTokens: 10, messageCount: 1, hasTools: false }).taskType).toBe('math');
  });

  it('is redacted for capture: a long run without "@" before an address, and digits', () => {
    const redact = createRedactor('salt');
    const out = redact.text(`${'y'.repeat(MB)} 1 mail ada@example.com`);
    expect(out).toMatch(/ 1 mail \[redacted-email:[0-9a-f]{8}\]$/);
    expect(redact.text('7'.repeat(MB))).toBe('7'.repeat(MB));
    expect(redact.text('1-'.repeat(MB / 2))).toHaveLength(MB);
  });

  it('is trimmed: trailing blanks of a long run in a code message', () => {
    const content = `\`\`\`\n${' '.repeat(MB)}x   \nend`;
    const action = { type: 'trim', node: 't', maxInputTokens: 0, collapseWhitespace: true, keepLastMessages: 0, maxOutputTokens: 0 } as const;
    const trimmed = trimRequest({ model: 'gpt-4o', messages: [{ role: 'user', content }] }, action, 10);
    expect(trimmed.request.messages[0]!.content).toBe(`\`\`\`\n${' '.repeat(MB)}x\nend`);
  });

  it('is counted: runs of letters, spaces and newlines', () => {
    expect(countTextTokens('y'.repeat(MB))).toBe(250_000);
    expect(countTextTokens(' '.repeat(MB))).toBeGreaterThan(7_000);
    expect(countTextTokens('\n'.repeat(MB))).toBeGreaterThan(60_000);
  });
});
