import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../../shared/facts.js';
import { fnv1a32, splitBucket } from '../../server/engine/split-bucket.js';

const facts = (user: string, team = 'search') => ({ user, tags: { team } }) as unknown as RequestFacts;

describe('splitBucket', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts the same sticky value in the same bucket every time', () => {
    const params = { node: 'split-1', by: 'user' };
    expect(splitBucket(params, facts('alice'))).toBe(splitBucket(params, facts('alice')));
    expect(splitBucket(params, facts('alice'))).toBe(fnv1a32('split-1:alice') % 100);
  });

  it('salts by node so two splits on the same user are independent', () => {
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const same = users.filter(
      (u) => splitBucket({ node: 'a', by: 'user' }, facts(u)) === splitBucket({ node: 'b', by: 'user' }, facts(u)),
    );
    expect(same.length).toBeLessThan(20);
  });

  it('reads a tag through its path', () => {
    const params = { node: 'n', by: 'tags', path: '$.team' };
    expect(splitBucket(params, facts('x', 'ads'))).toBe(fnv1a32('n:ads') % 100);
    expect(splitBucket(params, facts('y', 'ads'))).toBe(splitBucket(params, facts('z', 'ads')));
  });

  it('treats a missing sticky value as empty', () => {
    expect(splitBucket({ node: 'n', by: 'tags', path: '$.missing' }, facts('x'))).toBe(fnv1a32('n:') % 100);
    expect(splitBucket({ node: 'n', by: 'nothing' }, facts('x'))).toBe(fnv1a32('n:') % 100);
  });

  it('spreads users over all 100 buckets roughly evenly', () => {
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 20_000; i++) counts[splitBucket({ node: 'split', by: 'user' }, facts(`user-${i}`))]!++;
    expect(Math.min(...counts)).toBeGreaterThan(120);
    expect(Math.max(...counts)).toBeLessThan(280);
  });
});
