import { useEffect, useState } from 'react';
import type { LiveStatsResponse } from '../../../shared/live-stats.js';
import { api } from './api-client.js';

/** How often the canvas's live figures are read again. */
export const LIVE_REFRESH_MS = 10_000;

/**
 * Today's per-node figures of a published version, read now and every LIVE_REFRESH_MS; null
 * while `live` is null (nothing published, or a canvas that differs from what is live). A
 * failed read only hides the figures: they are a glance, not something to raise an error over.
 * Coming back to a version (an undo onto the published graph) shows its last figures at once
 * while they are read again: nodes that lost and regained their figures a moment later would
 * change height under the pointer, and a click on one would be lost.
 */
export function useLiveStats(live: { policy: string; version: number } | null): LiveStatsResponse | null {
  const policy = live?.policy ?? null;
  const version = live?.version ?? null;
  const key = policy === null ? null : `${policy}@${version}`;
  const [lastRead, setLastRead] = useState<ReadonlyMap<string, LiveStatsResponse>>(new Map());
  useEffect(() => {
    if (policy === null || key === null) return;
    let stopped = false;
    const settle = (stats: LiveStatsResponse | null) => {
      if (stopped) return;
      setLastRead((before) => {
        const after = new Map(before);
        if (stats) after.set(key, stats);
        else after.delete(key);
        return after;
      });
    };
    const read = () =>
      api.liveStats(policy).then(
        (s) => settle(s.version === version ? s : null),
        () => settle(null),
      );
    void read();
    const timer = setInterval(read, LIVE_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [policy, version, key]);
  // Looked up in render, not set by the effect, so the first frame back on a version already has its figures.
  return key === null ? null : (lastRead.get(key) ?? null);
}
