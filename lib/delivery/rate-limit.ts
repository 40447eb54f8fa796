import { writeTransaction, type DbHandle } from '@/db/client';
import {
  endSendSlots,
  grantSendSlot,
  listProviderRateLimits,
  type ProviderRateLimitRow,
} from '@/db/store/delivery';
import { appEnv } from '@/lib/config/env';

/**
 * The send-rate limit per provider, shared by every worker process on the database (SQLite or
 * PostgreSQL): before handing a mail to its provider the dispatcher takes a slot in the shared log
 * (db/store/delivery `grantSendSlot`). A slot counts while its delivery runs and for the window
 * after it ended, so however many workers run and however long a delivery takes, no window of a
 * second (or an hour) sees more mails arrive at the provider than its limit. Real time only: the
 * limit is about the provider's clock, not a test clock.
 */

const SECOND_MS = 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Limits are re-read this often per process (Settings → Delivery policy changes apply within it). */
const LIMITS_TTL_MS = 1000;
/** Waiting longer than this for a slot gives the mail back to the queue instead. */
const MAX_WAIT_MS = 5000;

/** Which provider a mail goes through: the SMTP host, or 'outbox' for the built-in outbox. */
export function currentProvider(): string {
  const url = appEnv().SMTP_URL;
  if (!url) return 'outbox';
  try {
    return new URL(url).hostname.toLowerCase() || 'smtp';
  } catch {
    return 'smtp';
  }
}

const limitCache = new WeakMap<DbHandle, { at: number; limits: Map<string, ProviderRateLimitRow> }>();

async function limitsOf(handle: DbHandle, provider: string): Promise<ProviderRateLimitRow | undefined> {
  const now = Date.now();
  let cached = limitCache.get(handle);
  if (!cached || now - cached.at > LIMITS_TTL_MS) {
    const rows = await listProviderRateLimits(handle.db);
    cached = { at: now, limits: new Map(rows.map((row) => [row.provider, row])) };
    limitCache.set(handle, cached);
  }
  return cached.limits.get(provider);
}

export type SendSlot =
  /** slotId null: the provider has no limit. */
  { ok: true; slotId: number | null } | { ok: false; retryAt: number; reason: string };

/**
 * Takes a send slot for `provider`, waiting for one for up to a few seconds; past that (an
 * hourly limit reached) answers when to try again, and the dispatcher gives the mail back to the
 * queue. `inFlightMs`: how long a delivery may take (the outbox lease); a slot of a process that
 * died mid-send stops counting after it.
 */
export async function acquireSendSlot(
  handle: DbHandle,
  provider: string,
  options: { inFlightMs: number; signal?: AbortSignal },
): Promise<SendSlot> {
  const limits = await limitsOf(handle, provider);
  if (!limits) return { ok: true, slotId: null };
  const windows = [
    ...(limits.perSecond ? [{ windowMs: SECOND_MS, max: limits.perSecond }] : []),
    ...(limits.perHour ? [{ windowMs: HOUR_MS, max: limits.perHour }] : []),
  ];
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    const grant = await writeTransaction(
      async (db) =>
        await grantSendSlot(db, { provider, now, inFlightMs: options.inFlightMs, limits: windows }),
      handle,
      { serialized: false },
    );
    if (grant.granted) return { ok: true, slotId: grant.slotId };
    if (grant.retryAt - started > MAX_WAIT_MS)
      return {
        ok: false,
        retryAt: grant.retryAt,
        reason: `held: the send-rate limit of ${provider} is reached (${describeLimits(limits)})`,
      };
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, grant.retryAt - Date.now())));
  }
}

/** Ends the slots of deliveries that finished (sent or failed), in the caller's transaction. */
export async function endSendSlotsIn(
  db: Parameters<typeof endSendSlots>[0],
  slotIds: readonly (number | null | undefined)[],
): Promise<void> {
  const ids = slotIds.filter((id): id is number => typeof id === 'number');
  if (ids.length > 0) await endSendSlots(db, ids, Date.now());
}

export function describeLimits(limits: { perSecond: number | null; perHour: number | null }): string {
  return [
    limits.perSecond ? `${limits.perSecond} per second` : undefined,
    limits.perHour ? `${limits.perHour} per hour` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}
