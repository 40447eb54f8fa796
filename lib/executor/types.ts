import type { NewOutboxEmail } from '@/db/store/outbox';

/** The step contract lives with the step units (lib/journey/steps/contract.ts). */
export type { ConsentAccess, EndState, StepResult } from '@/lib/journey';
export { DAY_MS, HOUR_MS } from '@/lib/journey';

/** Mail intents of the steps, buffered per executor batch (or per test run, then discarded). */
export interface BufferedWrites {
  mail(email: NewOutboxEmail): void;
  /** Marketing mail this batch queued for the customer and has not written yet (frequency caps count it). */
  queuedMailOf(customerId: number): number;
}

/** The mails a batch's send steps queued, not yet written (the engine's flushBuffered writes them). */
export class BufferedRows implements BufferedWrites {
  mails: NewOutboxEmail[] = [];

  mail = (email: NewOutboxEmail): void => {
    this.mails.push(email);
  };

  queuedMailOf = (customerId: number): number => {
    let count = 0;
    for (const mail of this.mails)
      if (mail.customerId === customerId && mail.category === 'marketing') count++;
    return count;
  };
}
