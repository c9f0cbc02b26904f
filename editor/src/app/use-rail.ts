import { useState } from 'react';

const KEY = 'tollgate.rail';
/**
 * Below this window width the left rail starts closed: at 1280 px its 252 px are what the cost
 * router's eleven nodes lack to open whole at the first view's least zoom.
 */
export const RAIL_OPEN_MIN_WIDTH = 1360;

/** Whether the rail starts open: as the owner last left it, else by the window's width. */
export function initialRailOpen(stored: string | null, windowWidth: number): boolean {
  if (stored === 'open') return true;
  if (stored === 'closed') return false;
  return windowWidth >= RAIL_OPEN_MIN_WIDTH;
}

/** The left rail (policies and nodes) open or closed, remembered across visits once toggled. */
export function useRail(): [boolean, () => void] {
  const [open, setOpen] = useState(() => initialRailOpen(localStorage.getItem(KEY), window.innerWidth));
  return [
    open,
    () => {
      localStorage.setItem(KEY, open ? 'closed' : 'open');
      setOpen(!open);
    },
  ];
}
