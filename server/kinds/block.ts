import type { KindExecutor } from './kind-executor.js';

export const blockExecutor: KindExecutor<'block'> = {
  finish: (action) => ({ targets: [], refusal: { status: action.status, message: action.message, code: 'policy_block' }, cacheOnly: null }),
  resolveFact: null,
  refusalType: null,
};
