'use client';
import { useEffect } from 'react';

export function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Undo/redo and copy/paste with Ctrl (or ⌘), Delete/Backspace removes the selection; never while
 * typing in a field. Delete is handled here on keydown rather than by React Flow's deleteKeyCode:
 * React Flow deletes in an effect of its "key is down" state, and a keyup arriving before that
 * render (a busy main thread) cancels the delete.
 */
export function useEditorShortcuts({
  readOnly,
  undo,
  redo,
  copy,
  paste,
  removeSelected,
}: {
  readOnly: boolean;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  /** Deletes the selected steps and connections; false when nothing was selected. */
  removeSelected: () => boolean;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) return;
      if (event.key === 'Delete' || event.key === 'Backspace') {
        // Not from a dialog above the canvas (the step picker, the publish choice).
        const inDialog = event.target instanceof Element && event.target.closest('dialog, [role="dialog"]');
        if (!readOnly && !inDialog && !event.ctrlKey && !event.metaKey && !event.altKey && removeSelected())
          event.preventDefault();
        return;
      }
      if (!(event.ctrlKey || event.metaKey)) return;
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
  }, [copy, paste, readOnly, redo, removeSelected, undo]);
}
