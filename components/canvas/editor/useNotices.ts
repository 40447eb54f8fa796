'use client';
import { useCallback, useEffect, useRef, useState } from 'react';

export type NoticeKind = 'info' | 'success' | 'error';

export interface Notice {
  /** One notice per topic: a new "publish" notice replaces the old one instead of stacking. */
  topic: string;
  kind: NoticeKind;
  message: string;
  link?: { href: string; label: string };
  testId?: string;
  /** Bumped on every show so a repeated message restarts its timer. */
  serial: number;
}

/** Info and success fade on their own; errors stay until dismissed or replaced. */
const FADE_AFTER_MS = 8_000;

/**
 * Transient editor messages ("Copied 1 step", "Published", refused connections). They float over
 * the canvas, so showing one never resizes the canvas, and each can be dismissed.
 */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const serial = useRef(0);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((topic: string) => {
    const timer = timers.current.get(topic);
    if (timer) clearTimeout(timer);
    timers.current.delete(topic);
    setNotices((all) => all.filter((notice) => notice.topic !== topic));
  }, []);

  const notify = useCallback(
    (notice: Omit<Notice, 'serial'>) => {
      serial.current += 1;
      const shown = { ...notice, serial: serial.current };
      setNotices((all) => [...all.filter((n) => n.topic !== notice.topic), shown]);
      const old = timers.current.get(notice.topic);
      if (old) clearTimeout(old);
      timers.current.delete(notice.topic);
      if (notice.kind !== 'error') {
        timers.current.set(
          notice.topic,
          setTimeout(() => dismiss(notice.topic), FADE_AFTER_MS),
        );
      }
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return { notices, notify, dismiss };
}
