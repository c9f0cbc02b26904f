import { describe, expect, it } from 'vitest';
import { calibrateErrorBound, CALIBRATED_RATES, wilsonUpper } from '../../server/cache/error-bound-calibration.js';
import { FEATURE_NAMES, pairFeatures, pairText, stem } from '../../server/cache/pair-features.js';
import { shippedVerifier } from '../../server/cache/pair-verifier.js';

describe('pair verifier', () => {
  it('gives the same features and score for the same pair every time', () => {
    const verifier = shippedVerifier();
    const score = () => verifier.score(pairText('How can I improve my writing skills?'), pairText('What are the best ways to improve writing skills?'));
    expect(score()).toBe(score());
    const rarity = { unseen: 8, idf: () => 3 };
    expect(pairFeatures(pairText('Is C++ faster than C#?'), pairText('Is C# faster than C++?'), rarity)).toEqual(pairFeatures(pairText('Is C++ faster than C#?'), pairText('Is C# faster than C++?'), rarity));
  });

  it('scores a reworded question above a different one that shares most of its words', () => {
    const verifier = shippedVerifier();
    const stored = pairText('How do I learn Java as a beginner?');
    expect(verifier.score(pairText('How should I learn Java as a beginner?'), stored)).toBeGreaterThan(verifier.score(pairText('How do I learn Python as a beginner?'), stored));
  });

  it('tells C++ from C# and "how many" from "how"', () => {
    expect(pairText('Is C++ hard?').content).not.toEqual(pairText('Is C# hard?').content);
    expect(pairText('How many women vote?').questionWord).toBe('how many');
    expect(pairText('How do women vote?').questionWord).toBe('how');
  });

  it('maps a stricter wrong-hit rate to a threshold at least as high', () => {
    const verifier = shippedVerifier();
    const thresholds = CALIBRATED_RATES.map((r) => verifier.thresholdFor(r));
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]!).toBeLessThanOrEqual(thresholds[i - 1]!);
    expect(verifier.thresholdFor(0.001)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('error-bound calibration', () => {
  const lookups = Array.from({ length: 400 }, (_, i) => ({ score: 1 - i / 400, correct: i < 100 ? true : i % 3 !== 0 }));

  it('is monotonic: a looser bound never gets a higher threshold or fewer hits', () => {
    const rows = calibrateErrorBound(lookups, 300);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.threshold).toBeLessThanOrEqual(rows[i - 1]!.threshold);
      expect(rows[i]!.duplicateHitRate).toBeGreaterThanOrEqual(rows[i - 1]!.duplicateHitRate);
    }
  });

  it('keeps the observed wrong share within each bound, and serves nothing when no threshold meets it', () => {
    for (const row of calibrateErrorBound(lookups, 300)) expect(row.wrongHitShare).toBeLessThanOrEqual(row.maxWrongHitRate);
    const allWrong = lookups.map((l) => ({ ...l, correct: false }));
    expect(calibrateErrorBound(allWrong, 300, [0.02])).toEqual([{ maxWrongHitRate: 0.02, threshold: 1.01, duplicateHitRate: 0, wrongHitShare: 0 }]);
  });
});

describe('stemmed content words', () => {
  it('folds suffixes and the synonym list so rewordings share stems, and keeps different words apart', () => {
    expect(['learning', 'learned', 'learner', 'learners'].map(stem)).toEqual(['learn', 'learn', 'learn', 'learn']);
    expect(stem('studies')).toBe('study');
    expect(stem('internet')).toBe(stem('online'));
    expect(stem('python')).not.toBe(stem('java'));
  });

  it('scores stem overlap and same-canonical words as features', () => {
    const rarity = { unseen: 8, idf: () => 3 };
    const at = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
    const reworded = pairFeatures(pairText('How can I earn money online?'), pairText('How can I make money on the internet?'), rarity);
    expect(reworded[at('stemJaccard')]).toBe(1);
    expect(reworded[at('contentJaccard')]).toBeLessThan(1);
    expect(pairFeatures(pairText('What are the haunted places in Delhi?'), pairText('What is haunted place in Delhi'), rarity)[at('sameCanonical')]).toBe(1);
    expect(reworded[at('sameCanonical')]).toBe(0);
  });
});

describe('Wilson upper bound', () => {
  it('lies above the observed share and tightens as the evidence grows', () => {
    expect(wilsonUpper(0, 0)).toBe(1);
    expect(wilsonUpper(2, 100)).toBeGreaterThan(0.02);
    expect(wilsonUpper(20, 1000)).toBeLessThan(wilsonUpper(2, 100));
    expect(wilsonUpper(0, 100)).toBeCloseTo(0.0099, 3);
  });
});
