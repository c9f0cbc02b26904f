import { splitBucket } from '../engine/split-bucket.js';
import type { KindExecutor } from './kind-executor.js';

export const splitExecutor: KindExecutor<'split'> = {
  plan: null,
  resolveFact: (params, facts) => splitBucket(params, facts),
  refusalType: null,
};
