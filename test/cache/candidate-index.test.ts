import { describe, expect, it } from 'vitest';
import { CandidateIndex } from '../../server/cache/candidate-index.js';

describe('candidate index', () => {
  it('ranks stored entries by the rare terms they share with the query', () => {
    const index = new CandidateIndex();
    index.add('python', ['learn', 'python', 'fast']);
    index.add('java', ['learn', 'java', 'fast']);
    index.add('cook', ['learn', 'cook']);
    expect(index.candidates(['learn', 'python', 'quickly'], 2)).toEqual(['python', 'java']);
    expect(index.candidates(['nothing', 'shared'], 3)).toEqual([]);
  });

  it('forgets a removed entry and reuses its slot', () => {
    const index = new CandidateIndex();
    index.add('a', ['alpha', 'beta']);
    index.add('b', ['beta']);
    index.remove('a');
    expect(index.size).toBe(1);
    expect(index.candidates(['alpha', 'beta'], 5)).toEqual(['b']);
    index.add('c', ['alpha']);
    expect(index.candidates(['alpha'], 5)).toEqual(['c']);
    expect(index.candidates(['alpha'], 5)).toEqual(['c']);
  });

  it('finds the entry with a rare shared word among 5,000 sharing only a common one', () => {
    const index = new CandidateIndex();
    for (let i = 0; i < 5000; i++) index.add(`common-${i}`, ['best', `topic${i}`]);
    index.add('target', ['best', 'zanzibar']);
    expect(index.candidates(['best', 'zanzibar'], 1)).toEqual(['target']);
  });
});
