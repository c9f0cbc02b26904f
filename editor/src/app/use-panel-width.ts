import { useEffect, useState } from 'react';

const KEY = 'tollgate.panelWidth';
/** Five tabs fit 356 px with room to spare (see the .tabs rule in theme.css). */
export const PANEL_DEFAULT_WIDTH = 356;
export const PANEL_MIN_WIDTH = 300;
export const PANEL_MAX_WIDTH = 720;
/** Past this share of the window the canvas, the thing being edited, would be the side show. */
const PANEL_MAX_SHARE = 0.6;
export const PANEL_STEP = 16;
export const PANEL_BIG_STEP = 64;

export interface PanelBounds {
  min: number;
  max: number;
}

/** The widths the side panel may take in a window this wide; a tiny window still gets the minimum, not an inverted range. */
export function panelBounds(windowWidth: number): PanelBounds {
  return { min: PANEL_MIN_WIDTH, max: Math.max(PANEL_MIN_WIDTH, Math.min(PANEL_MAX_WIDTH, Math.floor(windowWidth * PANEL_MAX_SHARE))) };
}

export function clampPanelWidth(width: number, windowWidth: number): number {
  const { min, max } = panelBounds(windowWidth);
  return Math.min(max, Math.max(min, Math.round(width)));
}

/** The width the owner last left the panel at, else the default; either fitted to this window. */
export function initialPanelWidth(stored: string | null, windowWidth: number): number {
  // Number('') is 0 and Number('abc') NaN: neither was ever a width the owner chose.
  const chosen = stored ? Number(stored) : NaN;
  return clampPanelWidth(Number.isFinite(chosen) ? chosen : PANEL_DEFAULT_WIDTH, windowWidth);
}

/**
 * The width a key on the divider asks for, or null for a key the divider leaves alone. The divider
 * sits on the panel's left edge, so an arrow moves it that way: left widens the panel.
 */
export function panelWidthForKey(key: string, shift: boolean, width: number, bounds: PanelBounds): number | null {
  const step = shift ? PANEL_BIG_STEP : PANEL_STEP;
  switch (key) {
    case 'ArrowLeft':
      return Math.min(bounds.max, width + step);
    case 'ArrowRight':
      return Math.max(bounds.min, width - step);
    case 'Home':
      return bounds.min;
    case 'End':
      return bounds.max;
    default:
      return null;
  }
}

export interface PanelWidth extends PanelBounds {
  /** The width shown: the owner's choice fitted to the current window. */
  width: number;
  /** Shows a width; `remember` stores it too (a drag stores only where it ends). */
  setWidth(width: number, remember: boolean): void;
}

/** The side panel's width, remembered across visits and refitted whenever the window resizes. */
export function usePanelWidth(): PanelWidth {
  // The owner's choice is kept unclamped by the window, so a window shrunk and grown back gets it back.
  const [chosen, setChosen] = useState(() => initialPanelWidth(localStorage.getItem(KEY), Number.POSITIVE_INFINITY));
  const [windowWidth, setWindowWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const onResize = () => setWindowWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const bounds = panelBounds(windowWidth);
  return {
    ...bounds,
    width: clampPanelWidth(chosen, windowWidth),
    setWidth(width, remember) {
      const next = clampPanelWidth(width, windowWidth);
      setChosen(next);
      if (remember) localStorage.setItem(KEY, String(next));
    },
  };
}
