import { describe, expect, it } from 'vitest';
import {
  clampPanelWidth,
  initialPanelWidth,
  PANEL_DEFAULT_WIDTH,
  PANEL_MAX_WIDTH,
  PANEL_MIN_WIDTH,
  panelBounds,
  panelWidthForKey,
} from '../../editor/src/app/use-panel-width.js';

describe('panelBounds', () => {
  it('lets the panel grow to 720 px, or to 60% of a window too narrow for that', () => {
    expect(panelBounds(1440)).toEqual({ min: PANEL_MIN_WIDTH, max: PANEL_MAX_WIDTH });
    expect(panelBounds(1024)).toEqual({ min: 300, max: 614 });
    expect(panelBounds(800)).toEqual({ min: 300, max: 480 });
  });

  it('never inverts the range in a window too small for the minimum', () => {
    expect(panelBounds(400)).toEqual({ min: 300, max: 300 });
  });
});

describe('clampPanelWidth', () => {
  it('keeps a width inside the bounds, in whole pixels', () => {
    expect(clampPanelWidth(500, 1440)).toBe(500);
    expect(clampPanelWidth(120, 1440)).toBe(300);
    expect(clampPanelWidth(2000, 1440)).toBe(720);
    expect(clampPanelWidth(700, 1024)).toBe(614);
    expect(clampPanelWidth(410.6, 1440)).toBe(411);
  });
});

describe('initialPanelWidth', () => {
  it('opens at the default width until the owner chooses one', () => {
    expect(initialPanelWidth(null, 1440)).toBe(PANEL_DEFAULT_WIDTH);
  });

  it("keeps the owner's width, fitted to the window it opens in", () => {
    expect(initialPanelWidth('512', 1440)).toBe(512);
    expect(initialPanelWidth('700', 1024)).toBe(614);
    expect(initialPanelWidth('90', 1440)).toBe(300);
  });

  it('treats an unreadable stored value as no choice', () => {
    expect(initialPanelWidth('', 1440)).toBe(PANEL_DEFAULT_WIDTH);
    expect(initialPanelWidth('wide', 1440)).toBe(PANEL_DEFAULT_WIDTH);
    expect(initialPanelWidth('Infinity', 1440)).toBe(PANEL_DEFAULT_WIDTH);
  });
});

describe('panelWidthForKey', () => {
  const bounds = panelBounds(1440);

  it('moves the divider the way the arrow points, 16 px a press or 64 px with Shift', () => {
    expect(panelWidthForKey('ArrowLeft', false, 356, bounds)).toBe(372);
    expect(panelWidthForKey('ArrowRight', false, 356, bounds)).toBe(340);
    expect(panelWidthForKey('ArrowLeft', true, 356, bounds)).toBe(420);
    expect(panelWidthForKey('ArrowRight', true, 356, bounds)).toBe(300);
  });

  it('stops at the bounds, and Home and End go straight to them', () => {
    expect(panelWidthForKey('ArrowLeft', true, 700, bounds)).toBe(720);
    expect(panelWidthForKey('ArrowRight', false, 310, bounds)).toBe(300);
    expect(panelWidthForKey('Home', false, 500, bounds)).toBe(300);
    expect(panelWidthForKey('End', false, 500, bounds)).toBe(720);
  });

  it('leaves every other key to the page', () => {
    expect(panelWidthForKey('ArrowUp', false, 356, bounds)).toBeNull();
    expect(panelWidthForKey('Enter', false, 356, bounds)).toBeNull();
  });
});
