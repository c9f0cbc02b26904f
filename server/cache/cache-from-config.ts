import path from 'node:path';
import bytes from 'bytes';
import type { AppConfig } from '../config.js';
import { createResponseCache, type LocalResponseCache } from './response-cache.js';
import type { WorkerMatcherOptions } from './semantic-worker-matcher.js';

/** Bytes from a size like "64mb" or "1048576"; a value `bytes` cannot read is an error naming the setting. */
function size(value: string, setting: string): number {
  const parsed = bytes.parse(value);
  if (parsed === null || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${setting}: expected a size such as 64mb, got "${value}"`);
  return parsed;
}

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
