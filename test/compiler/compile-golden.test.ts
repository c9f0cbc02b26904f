import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledText, DIAGNOSTIC_FIXTURES, diagnosticsText, FIXTURES, graphFixtures } from './golden-files.js';

describe('compiler golden files (update with `npx tsx test/update-golden.ts`)', () => {
  for (const name of graphFixtures(FIXTURES)) {
    it(`compiles ${name}.graph.json to the bytes of ${name}.rules.json`, () => {
      expect(compiledText(FIXTURES, name)).toBe(readFileSync(path.join(FIXTURES, `${name}.rules.json`), 'utf8'));
    });
    // Tests run the fixtures (test/support/example-rules.ts); `npm start` serves rules/: they must be one policy.
    it(`ships ${name}.rules.json as rules/${name}.json, byte for byte, so what tests run is what starts`, () => {
      const shipped = readFileSync(path.join(FIXTURES, '..', '..', 'rules', `${name}.json`), 'utf8');
      const why = `rules/${name}.json differs from test/fixtures/${name}.rules.json: a local publish changed it (git checkout rules/), or the change belongs in test/fixtures/${name}.graph.json (then npx tsx test/update-golden.ts)`;
      expect(shipped === readFileSync(path.join(FIXTURES, `${name}.rules.json`), 'utf8'), why).toBe(true);
    });
  }
});

describe('diagnostic golden files', () => {
  const names = graphFixtures(DIAGNOSTIC_FIXTURES);

  it('has a fixture for every diagnostic a single graph can show', () => {
    const codes = names.map((n) => n.slice(0, 5));
    expect(codes).toEqual(expect.arrayContaining(['TG000', 'TG001', 'TG002', 'TG003', 'TG004', 'TG005', 'TG006', 'TG007', 'TG008', 'TG009', 'TG010', 'TG012', 'TG013', 'TG016']));
  });

  for (const name of names) {
    it(`reports ${name} on the right node and field`, () => {
      const expected = readFileSync(path.join(DIAGNOSTIC_FIXTURES, `${name}.diagnostics.json`), 'utf8');
      expect(diagnosticsText(DIAGNOSTIC_FIXTURES, name)).toBe(expected);
      expect(JSON.parse(expected)[0].code).toBe(name.slice(0, 5));
    });
  }
});
