import { parseArgs } from 'node:util';
import { CacheParamsSchema } from '../../shared/nodes/cache.js';
import { defaultPairsFile, SPLITS, type Split } from './pair-split.js';

export interface CacheBenchArgs {
  pairs: string;
  /** Which pairs to score: all of the file, or one part of its fixed split (`test`: neither fitted nor calibrated on). */
  split: 'all' | Split;
  maxWrongHitRate: number;
}

/** `--pairs FILE [--split all|fit|calibrate|test] [--max-wrong-hit-rate R]`; a bad value is an error naming the flag. */
export function parseCacheBenchArgs(argv: readonly string[]): CacheBenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { pairs: { type: 'string' }, split: { type: 'string', default: 'all' }, 'max-wrong-hit-rate': { type: 'string' } },
    strict: true,
  });
  const split = values.split as CacheBenchArgs['split'];
  if (split !== 'all' && !SPLITS.includes(split)) throw new Error(`--split: expected all, ${SPLITS.join(', ')}, got "${split}"`);
  const rate = values['max-wrong-hit-rate'];
  const parsed = CacheParamsSchema.shape.maxWrongHitRate.safeParse(rate === undefined ? undefined : Number(rate));
  if (!parsed.success) throw new Error(`--max-wrong-hit-rate: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { pairs: values.pairs ?? defaultPairsFile(), split, maxWrongHitRate: parsed.data };
}
