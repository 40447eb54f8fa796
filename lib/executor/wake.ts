/**
 * The worker loop's nudge: notifyWork() makes its current or next sleep end at once. The worker
 * calls it when any process signals work on the database (db/work-signal.ts).
 */
let waiter: (() => void) | undefined;
let pending = false;

export function notifyWork(): void {
  pending = true;
  const wake = waiter;
  waiter = undefined;
  wake?.();
}

/** Resolves after `ms`, or sooner when notifyWork() is called. */
export function sleepUntilWork(ms: number): Promise<void> {
  if (pending) {
    pending = false;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      pending = false;
      waiter = undefined;
      resolve();
    }
    waiter = done;
  });
}
