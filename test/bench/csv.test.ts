import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../bench/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, newlines and doubled quotes', () => {
    const text = 'prompt,right,answer\n"Add 2, 3",True,"Step 1:\nsay ""5"""\r\nplain,False,\n';
    expect(parseCsv(text)).toEqual([
      ['prompt', 'right', 'answer'],
      ['Add 2, 3', 'True', 'Step 1:\nsay "5"'],
      ['plain', 'False', ''],
    ]);
  });

  it('keeps a last row without a final newline', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
