import path from 'node:path';
import type { AppConfig } from '../config.js';
import { createResponseCache, type LocalResponseCache } from './response-cache.js';
import type { WorkerMatcherOptions } from './semantic-worker-matcher.js';
import { sizeSetting as size } from '../size-setting.js';

/**
 * The runtime's response cache: a hot tier in memory and, unless its size is 0, a warm tier in
 * dataDir/cache; semantic lookups are scored on a worker thread (started by the first semantic entry).
 */
export function responseCacheFromConfig(config: Pick<AppConfig, 'dataDir' | 'cacheHotBytes' | 'cacheDiskBytes'>, worker: Pick<WorkerMatcherOptions, 'onFault'> = {}): LocalResponseCache {
  const disk = size(config.cacheDiskBytes, 'TOLLGATE_CACHE_DISK_BYTES');
  return createResponseCache({
    maxBytes: Math.max(1, size(config.cacheHotBytes, 'TOLLGATE_CACHE_HOT_BYTES')),
    semantic: { thread: 'worker', ...worker },
    ...(disk > 0 ? { warm: { dir: path.join(config.dataDir, 'cache'), maxBytes: disk } } : {}),
  });
}
