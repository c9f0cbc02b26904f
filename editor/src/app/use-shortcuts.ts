import { useEffect, useRef } from 'react';

export interface Shortcuts {
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  toggleRail(): void;
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** Editor-wide keys; inside form fields the browser's own undo and copy win. Delete is React Flow's. */
export function useShortcuts(handlers: Shortcuts): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!(e.ctrlKey || e.metaKey) || typingIn(e.target)) return;
      const key = e.key.toLowerCase();
      const h = ref.current;
      const run = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (key === 'z' && e.shiftKey) run(h.redo);
      else if (key === 'z') run(h.undo);
      else if (key === 'y') run(h.redo);
      else if (key === 'c' && !window.getSelection()?.toString()) run(h.copy);
      else if (key === 'v') run(h.paste);
      else if (key === 'd') run(h.duplicate);
      else if (key === '\\') run(h.toggleRail);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
