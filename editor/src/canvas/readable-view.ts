import type { ReactFlowInstance } from '@xyflow/react';

/** Node labels are 13 px: below this zoom they would read smaller than 12 px, which is too small to work with. */
export const READABLE_MIN_ZOOM = 12 / 13;
/**
 * The first view fits the whole graph down to this zoom. Below the readable zoom nodes draw as an
 * overview (canvasDetail): their titles keep a readable size on screen and the details wait for a
 * closer look, so a wide policy opens whole and still reads.
 */
export const FIRST_VIEW_MIN_ZOOM = 0.45;

export type CanvasDetail = 'full' | 'overview';

/** How much a node shows at a zoom: everything where its 12 px text reads, only what a title can say below that. */
export function canvasDetail(zoom: number): CanvasDetail {
  return zoom < READABLE_MIN_ZOOM ? 'overview' : 'full';
}

export interface ReadableInput {
  bounds: { x: number; y: number; width: number; height: number };
  width: number;
  height: number;
  padding?: number;
  minZoom?: number;
  maxZoom?: number;
}

/**
 * The first view of a graph: fitted when it fits at the first view's least zoom, else at that
 * zoom with its top-left corner in view (where the Request node is), and scrolling for the rest.
 */
export function readableViewport({ bounds, width, height, padding = 24, minZoom = FIRST_VIEW_MIN_ZOOM, maxZoom = 1 }: ReadableInput): { x: number; y: number; zoom: number } {
  const roomX = Math.max(1, width - 2 * padding);
  const roomY = Math.max(1, height - 2 * padding);
  const fit = Math.min(roomX / Math.max(1, bounds.width), roomY / Math.max(1, bounds.height));
  const zoom = Math.min(maxZoom, Math.max(minZoom, fit));
  const place = (start: number, size: number, room: number, total: number) =>
    size * zoom <= room ? (total - size * zoom) / 2 - start * zoom : padding - start * zoom;
  return { x: Math.round(place(bounds.x, bounds.width, roomX, width)), y: Math.round(place(bounds.y, bounds.height, roomY, height)), zoom };
}

/** Frames every node of the canvas in its box the readable way (on open and after auto-layout). */
export function frameReadable(flow: ReactFlowInstance, box: Element | null, duration = 0): void {
  const rect = box?.getBoundingClientRect();
  const nodes = flow.getNodes();
  if (!rect || nodes.length === 0) return;
  void flow.setViewport(readableViewport({ bounds: flow.getNodesBounds(nodes), width: rect.width, height: rect.height }), { duration });
}
