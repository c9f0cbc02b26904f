import { describe, expect, it } from 'vitest';
import { initialRailOpen, RAIL_OPEN_MIN_WIDTH } from '../../editor/src/app/use-rail.js';

describe('initialRailOpen', () => {
  it('opens the rail on a wide window and closes it on a narrow one until the owner chooses', () => {
    expect(initialRailOpen(null, 1440)).toBe(true);
    expect(initialRailOpen(null, RAIL_OPEN_MIN_WIDTH)).toBe(true);
    expect(initialRailOpen(null, 1280)).toBe(false);
  });

  it("keeps the owner's last choice whatever the window", () => {
    expect(initialRailOpen('open', 1024)).toBe(true);
    expect(initialRailOpen('closed', 1920)).toBe(false);
  });

  it('treats an unreadable stored value as no choice', () => {
    expect(initialRailOpen('sideways', 1280)).toBe(false);
    expect(initialRailOpen('', 1920)).toBe(true);
  });
});
