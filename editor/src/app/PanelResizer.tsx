import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { PANEL_DEFAULT_WIDTH, panelWidthForKey, type PanelWidth } from './use-panel-width.js';

/**
 * The divider on the side panel's left edge: drag it, or focus it and use the arrow keys, Home and
 * End; a double-click puts the default width back.
 */
export function PanelResizer({ panel, controls }: { panel: PanelWidth; controls: string }) {
  // Where the drag started; null while not dragging. A ref, so moves do not wait for a render to see it.
  const drag = useRef<{ x: number; width: number; last: number } | null>(null);

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    // Capture keeps the moves coming when the pointer outruns the 6 px handle or crosses the canvas,
    // which would otherwise take them as a pan; no default keeps text from being selected on the way.
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
    drag.current = { x: e.clientX, width: panel.width, last: panel.width };
  }

  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (!d) return;
    d.last = d.width + (d.x - e.clientX);
    panel.setWidth(d.last, false);
  }

  function endDrag() {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    if (d.last !== d.width) panel.setWidth(d.last, true);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const next = panelWidthForKey(e.key, e.shiftKey, panel.width, panel);
    if (next === null) return;
    e.preventDefault();
    panel.setWidth(next, true);
  }

  return (
    <div
      className="panel-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize side panel"
      aria-controls={controls}
      aria-valuenow={panel.width}
      aria-valuemin={panel.min}
      aria-valuemax={panel.max}
      aria-valuetext={`${panel.width} px`}
      tabIndex={0}
      title="Drag to resize; double-click for the default width"
      data-testid="panel-resizer"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onLostPointerCapture={endDrag}
      onKeyDown={onKeyDown}
      onDoubleClick={() => panel.setWidth(PANEL_DEFAULT_WIDTH, true)}
    />
  );
}
