import { describe, expect, it } from 'vitest';
import { canvasDetail, FIRST_VIEW_MIN_ZOOM, READABLE_MIN_ZOOM, readableViewport } from '../../editor/src/canvas/readable-view.js';

describe('the first view of a graph', () => {
  it('fits a small graph, centred, at no more than 100%, with every detail drawn', () => {
    const view = readableViewport({ bounds: { x: 0, y: 0, width: 400, height: 200 }, width: 1000, height: 600 });
    expect(view).toEqual({ x: 300, y: 200, zoom: 1 });
    expect(canvasDetail(view.zoom)).toBe('full');
  });

  it('fits a graph as wide as the cost router whole, below the readable zoom, so its nodes draw as an overview', () => {
    // The cost router's eleven nodes span about 1,750 by 600 at 100%; a canvas box 900 wide holds them at 49%.
    const view = readableViewport({ bounds: { x: 0, y: 40, width: 1750, height: 600 }, width: 900, height: 780 });
    expect(view.zoom).toBeCloseTo((900 - 48) / 1750, 9);
    expect(view.x).toBe(24);
    expect(canvasDetail(view.zoom)).toBe('overview');
  });

  it('stops at its least zoom for a graph wider still and shows its left end, to scroll from', () => {
    const view = readableViewport({ bounds: { x: 0, y: 100, width: 6000, height: 500 }, width: 1000, height: 700 });
    expect(view.zoom).toBe(FIRST_VIEW_MIN_ZOOM);
    expect(view.x).toBe(24);
  });

  it('draws every detail from the zoom at which 13 px labels read at 12 px, and an overview below it', () => {
    expect(13 * READABLE_MIN_ZOOM).toBeCloseTo(12, 9);
    expect(canvasDetail(READABLE_MIN_ZOOM)).toBe('full');
    expect(canvasDetail(READABLE_MIN_ZOOM - 0.01)).toBe('overview');
    expect(canvasDetail(2)).toBe('full');
  });
});
