'use client';
import { useEffect } from 'react';

export function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Undo/redo and copy/paste with Ctrl (or ⌘), never while typing in a field. */
export function useEditorShortcuts({
  readOnly,
  undo,
  redo,
  copy,
  paste,
}: {
  readOnly: boolean;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || isTypingTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !readOnly) {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (key === 'y' && !readOnly) {
        event.preventDefault();
        redo();
      } else if (key === 'c') {
        copy();
      } else if (key === 'v' && !readOnly) {
        event.preventDefault();
        paste();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copy, paste, readOnly, redo, undo]);
}
