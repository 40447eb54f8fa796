/**
 * In-process nudge for the worker loop: code running in the worker's own process (wake-ups,
 * enrollments) calls notifyWork() so the next round starts now instead of after the poll
 * interval. Other processes (the web app) are covered by the poll.
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
