import { useStore } from '@xyflow/react';
import { useLayoutEffect, type RefObject } from 'react';
import { canvasDetail, FIRST_VIEW_MIN_ZOOM } from './readable-view.js';

/**
 * Tells the canvas box its zoom and detail level (`--zoom`, `data-detail`), which the node styles
 * read: an overview's titles are sized by 1/zoom so they stay readable on screen. Written to the
 * box rather than passed to the nodes, so zooming re-renders no node.
 */
export function ZoomDetail({ box }: { box: RefObject<HTMLDivElement | null> }) {
  const zoom = useStore((s) => s.transform[2]);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.setProperty('--zoom', String(Math.max(zoom, FIRST_VIEW_MIN_ZOOM)));
    el.dataset.detail = canvasDetail(zoom);
  }, [box, zoom]);
  return null;
}
