import { useEffect, useState } from 'react';
import type { LiveStatsResponse } from '../../../shared/live-stats.js';
import { api } from './api-client.js';

/** How often the canvas's live figures are read again. */
export const LIVE_REFRESH_MS = 10_000;

/**
 * Today's per-node figures of a published version, read now and every LIVE_REFRESH_MS; null
 * while `live` is null (nothing published, or a canvas that differs from what is live). A
 * failed read only hides the figures: they are a glance, not something to raise an error over.
 */
export function useLiveStats(live: { policy: string; version: number } | null): LiveStatsResponse | null {
  const [stats, setStats] = useState<LiveStatsResponse | null>(null);
  const policy = live?.policy ?? null;
  const version = live?.version ?? null;
  useEffect(() => {
    setStats(null);
    if (policy === null) return;
    let stopped = false;
    const read = () =>
      api.liveStats(policy).then(
        (s) => !stopped && setStats(s.version === version ? s : null),
        () => !stopped && setStats(null),
      );
    void read();
    const timer = setInterval(read, LIVE_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [policy, version]);
  return stats;
}
