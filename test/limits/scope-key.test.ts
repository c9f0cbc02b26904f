import { describe, expect, it } from 'vitest';
import { scopeKey } from '../../server/limits/scope-key.js';

const subject = { tags: { team: 'search', env: '' }, serviceKey: 'svc-1', user: 'alice' };

describe('scopeKey', () => {
  it('names the scope value a request counts under', () => {
    expect(scopeKey('global', subject)).toBe('global');
    expect(scopeKey('serviceKey', subject)).toBe('serviceKey=svc-1');
    expect(scopeKey('user', subject)).toBe('user=alice');
    expect(scopeKey('tag:team', subject)).toBe('tag:team=search');
  });

  it('puts requests without the tag in a scope of their own', () => {
    expect(scopeKey('tag:feature', subject)).toBe('tag:feature=');
    expect(scopeKey('tag:env', subject)).toBe('tag:env=');
  });

  it('does not read inherited properties as tags', () => {
    expect(scopeKey('tag:constructor', subject)).toBe('tag:constructor=');
  });
});
