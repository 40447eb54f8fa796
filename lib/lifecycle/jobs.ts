import { getDb, writeTransaction } from '@/db/client';
import {
  emptyOldOutboxContent,
  pruneIdempotencyKeysBefore,
  pruneTokensExpiredBefore,
} from '@/db/store/lifecycle';
import { pruneDeliverabilityNotifications, pruneSendSlots } from '@/db/store/delivery';
import { LONGEST_RATE_WINDOW_MS, pruneRateLimits } from '@/db/store/rate-limits';
import { purgeArchivedJourneys } from '@/lib/executor/lifecycle';
import { pruneImportUploads } from '@/lib/files/import-uploads';
import { purgeExpiredExports } from '@/lib/privacy/exports';
import { writeLedgerCheckpoint } from '@/lib/privacy/ledger-checkpoints';
import { expireStaleOptIns } from '@/lib/privacy/optin';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long each kind of kept data lives; the registry and Settings → Data lifecycle show these. */
export const RETENTION = {
  idempotencyMs: DAY,
  rateLimitMs: LONGEST_RATE_WINDOW_MS,
  expiredTokensMs: 7 * DAY,
  outboxContentMs: 30 * DAY,
  sendSlotsMs: HOUR,
  deliverabilityEvidenceMs: 400 * DAY,
} as const;

export type LifecycleJob = {
  key: string;
  title: string;
  everyMs: number;
  /** Runs once; returns how many rows or files it removed or emptied. */
  run: (now: Date) => Promise<number>;
};

/** Every prune job; the worker runs each when due (lib/lifecycle/scheduler.ts). */
export const LIFECYCLE_JOBS: readonly LifecycleJob[] = [
  {
    key: 'expire-opt-ins',
    title: 'Expire unconfirmed opt-ins (and sign-ups of erased addresses)',
    everyMs: MINUTE,
    run: async (now) => await expireStaleOptIns(now),
  },
  {
    key: 'purge-archived-journeys',
    title: 'Purge data of archived journeys past their retention',
    everyMs: MINUTE,
    run: async (now) => (await purgeArchivedJourneys(now.getTime())).length,
  },
  {
    key: 'purge-exports',
    title: 'Delete expired data-export files',
    everyMs: 10 * MINUTE,
    run: async (now) => await purgeExpiredExports(now),
  },
  {
    key: 'prune-import-uploads',
    title: 'Delete uploaded import files (finished, or a dry run not followed up within an hour)',
    everyMs: 10 * MINUTE,
    run: async () => await pruneImportUploads(),
  },
  {
    key: 'prune-rate-limits',
    title: 'Delete rate-limit windows that have ended',
    everyMs: 10 * MINUTE,
    run: async (now) => await pruneRateLimits(now.getTime() - RETENTION.rateLimitMs),
  },
  {
    key: 'prune-idempotency-cache',
    title: 'Delete cached API answers older than a day',
    everyMs: 10 * MINUTE,
    run: async (now) =>
      await pruneIdempotencyKeysBefore(getDb(), new Date(now.getTime() - RETENTION.idempotencyMs)),
  },
  {
    key: 'prune-tokens',
    title: 'Delete customer link tokens a week after they expired',
    everyMs: HOUR,
    run: async (now) =>
      await writeTransaction(
        async (db) => await pruneTokensExpiredBefore(db, new Date(now.getTime() - RETENTION.expiredTokensMs)),
      ),
  },
  {
    key: 'empty-old-outbox',
    title: 'Empty the content of mail and webhook deliveries older than 30 days',
    everyMs: HOUR,
    run: async (now) =>
      await writeTransaction(
        async (db) => await emptyOldOutboxContent(db, new Date(now.getTime() - RETENTION.outboxContentMs)),
      ),
  },
  {
    key: 'prune-send-slots',
    title: 'Delete send-rate slots an hour after their delivery',
    everyMs: 10 * MINUTE,
    run: async (now) =>
      await writeTransaction(async (db) => await pruneSendSlots(db, now.getTime() - RETENTION.sendSlotsMs)),
  },
  {
    key: 'prune-deliverability-evidence',
    title: 'Delete bounce and complaint notifications kept as evidence for 400 days',
    everyMs: HOUR,
    run: async (now) =>
      await writeTransaction(
        async (db) =>
          await pruneDeliverabilityNotifications(db, now.getTime() - RETENTION.deliverabilityEvidenceMs),
      ),
  },
  {
    key: 'ledger-checkpoint',
    title: 'Anchor the consent ledger head in a signed checkpoint',
    everyMs: 10 * MINUTE,
    run: async (now) => ((await writeLedgerCheckpoint(undefined, now)).written ? 1 : 0),
  },
];

export type LifecycleJobKey = (typeof LIFECYCLE_JOBS)[number]['key'];
