import { describe, expect, it } from 'vitest';
import { rateLimited } from '../../server/limits/rate-fact.js';
import { RateLimiter } from '../../server/limits/rate-limiter.js';

const MINUTE = 60_000;
const T0 = 1_000 * MINUTE;

describe('rate limiter', () => {
  it('limits a scope once it used its requests for the minute', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'serviceKey', rpm: 3, tpm: 0 };
    for (let i = 0; i < 3; i++) {
      expect(limiter.isLimited(params, 'serviceKey=a', T0 + i)).toBe(false);
      limiter.count(params, 'serviceKey=a', 10, T0 + i);
    }
    expect(limiter.isLimited(params, 'serviceKey=a', T0 + 10)).toBe(true);
    expect(limiter.isLimited(params, 'serviceKey=b', T0 + 10)).toBe(false);
  });

  it('does not count when asked', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'global', rpm: 1, tpm: 0 };
    for (let i = 0; i < 5; i++) limiter.isLimited(params, 'global', T0);
    expect(limiter.isLimited(params, 'global', T0)).toBe(false);
    expect(limiter.size).toBe(0);
  });

  it('slides: the previous minute weighs by how much of it is still within the last minute', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'global', rpm: 4, tpm: 0 };
    for (let i = 0; i < 4; i++) limiter.count(params, 'global', 0, T0 + 50_000);
    expect(limiter.isLimited(params, 'global', T0 + MINUTE)).toBe(true);
    expect(limiter.usage(params, 'global', T0 + MINUTE + MINUTE / 2).requests).toBe(2);
    expect(limiter.isLimited(params, 'global', T0 + MINUTE + MINUTE / 2)).toBe(false);
    expect(limiter.isLimited(params, 'global', T0 + 2 * MINUTE)).toBe(false);
  });

  it('limits on tokens a minute when tpm is set', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'user', rpm: 100, tpm: 1000 };
    limiter.count(params, 'user=u', 600, T0);
    expect(limiter.isLimited(params, 'user=u', T0 + 1)).toBe(false);
    limiter.count(params, 'user=u', 400, T0 + 2);
    expect(limiter.isLimited(params, 'user=u', T0 + 3)).toBe(true);
  });

  it('keeps separate counts for limits with different rates on the same scope', () => {
    const limiter = new RateLimiter();
    limiter.count({ scope: 'global', rpm: 1, tpm: 0 }, 'global', 0, T0);
    expect(limiter.isLimited({ scope: 'global', rpm: 1, tpm: 0 }, 'global', T0)).toBe(true);
    expect(limiter.isLimited({ scope: 'global', rpm: 2, tpm: 0 }, 'global', T0)).toBe(false);
  });

  it('forgets idle scopes', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'user', rpm: 10, tpm: 0 };
    for (let i = 0; i < 100; i++) limiter.count(params, `user=${i}`, 0, T0);
    expect(limiter.size).toBe(100);
    for (let i = 0; i < 60; i++) limiter.count(params, 'user=busy', 0, T0 + 3 * MINUTE + i);
    expect(limiter.size).toBe(1);
  });

  it('holds at most maxKeys counters, dropping the least recently counted', () => {
    const limiter = new RateLimiter({ maxKeys: 10 });
    const params = { scope: 'user', rpm: 1, tpm: 0 };
    for (let i = 0; i < 50; i++) limiter.count(params, `user=${i}`, 0, T0);
    expect(limiter.size).toBe(10);
    expect(limiter.isLimited(params, 'user=49', T0)).toBe(true);
    expect(limiter.isLimited(params, 'user=0', T0)).toBe(false);
  });
});

describe('rateLimited fact', () => {
  it('reads the counter of the request’s scope value', () => {
    const limiter = new RateLimiter();
    const params = { scope: 'tag:team', rpm: 1, tpm: 0 };
    limiter.count(params, 'tag:team=search', 0, T0);
    expect(rateLimited({ limiter, params, facts: { tags: { team: 'search' }, serviceKey: 's', user: 'u' }, now: T0 })).toBe(true);
    expect(rateLimited({ limiter, params, facts: { tags: {}, serviceKey: 's', user: 'u' }, now: T0 })).toBe(false);
  });
});
