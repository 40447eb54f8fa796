import { z } from 'zod';
import { sqlGet, type Db } from '@/db/client';
import { appendStepNote, incrementNodeStats, nodeStatKey } from '@/db/store/enrollment-positions';
import {
  countReleasedMail,
  markPolicyReleased,
  readChannelPolicy,
  type ChannelPolicyRow,
} from '@/db/store/delivery';
import { cancelOutbox, deferOutbox, type OutboxRecord } from '@/db/store/outbox';
import { formatDuration } from '@/lib/journey/steps/field-meta';
import { quietHoursEnd, safeTimeZone } from '@/lib/journey/steps/time';
import { loadPublishedVersion } from '@/lib/versions/published';
import type { CapAction, Channel, LegalBasis } from '@/lib/vocabulary';

/**
 * The workspace delivery policy (Settings → Delivery policy), enforced by the dispatcher's
 * send-time guard for every journey together: a frequency cap per channel across all journeys and
 * purposes, default quiet hours in the customer's time zone (a send step may add quiet time, not
 * remove it), and an exemption for transactional purposes (contract, legal obligation) when the
 * workspace says so. The provider send-rate limit is lib/delivery/rate-limit.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** A send step without a choice holds a capped message this long before skipping it. */
export const DEFAULT_HOLD_HOURS = 24;
export const DEFAULT_SOFT_BOUNCE_LIMIT = 3;

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour clock');

export const channelPolicySchema = z
  .strictObject({
    cap: z
      .strictObject({
        max: z.int('Enter a whole number').min(1, 'At least 1').max(1000),
        perDays: z.int('Enter a whole number').min(1, 'At least 1 day').max(365),
      })
      .nullable(),
    quietHours: z.strictObject({ start: timeOfDay, end: timeOfDay }).nullable(),
    exemptTransactional: z.boolean(),
    softBounceLimit: z.int('Enter a whole number').min(1, 'At least 1').max(100),
  })
  .superRefine((policy, issues) => {
    if (policy.quietHours && policy.quietHours.start === policy.quietHours.end)
      issues.addIssue({
        code: 'custom',
        path: ['quietHours', 'end'],
        message: 'Quiet hours need an end other than their start',
      });
  });
export type ChannelPolicy = z.output<typeof channelPolicySchema>;

export const providerRateLimitSchema = z
  .strictObject({
    provider: z
      .string()
      .trim()
      .min(1, 'Name the provider')
      .max(253)
      .regex(/^[a-z0-9.-]+$/i, 'A host name, or "outbox" for the built-in outbox'),
    perSecond: z.int('Enter a whole number').min(1).max(100_000).nullable(),
    perHour: z.int('Enter a whole number').min(1).max(100_000_000).nullable(),
  })
  .refine((limit) => limit.perSecond !== null || limit.perHour !== null, {
    message: 'Set a limit per second, per hour or both',
    path: ['perSecond'],
  });
export type ProviderRateLimit = z.output<typeof providerRateLimitSchema>;

export const NO_POLICY: ChannelPolicy = {
  cap: null,
  quietHours: null,
  exemptTransactional: true,
  softBounceLimit: DEFAULT_SOFT_BOUNCE_LIMIT,
};

export function policyFromRow(row: ChannelPolicyRow | undefined): ChannelPolicy {
  if (!row) return NO_POLICY;
  return {
    cap: row.capMax !== null && row.capDays !== null ? { max: row.capMax, perDays: row.capDays } : null,
    quietHours: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
    exemptTransactional: row.exemptTransactional,
    softBounceLimit: row.softBounceLimit,
  };
}

export async function channelPolicy(db: Db, channel: Channel): Promise<ChannelPolicy> {
  return policyFromRow(await readChannelPolicy(db, channel));
}

export type PolicyDecision =
  /** note: why a rule that would have stopped it did not (a transactional exemption). */
  | { action: 'send'; note?: string }
  | { action: 'hold'; until: number; reason: string }
  | { action: 'skip'; reason: string };

/** What a send step adds to the workspace policy (read from its published version). */
interface StepRules {
  quietHours?: { start: string; end: string };
  whenCapped?: { action: CapAction; withinHours?: number };
}

async function stepRulesOf(db: Db, row: OutboxRecord): Promise<StepRules> {
  const ref = row.payload as { versionId?: unknown; nodeId?: unknown } | null;
  if (typeof ref?.versionId !== 'number' || typeof ref.nodeId !== 'string') return {};
  const node = (await loadPublishedVersion(db, ref.versionId))?.nodesById.get(ref.nodeId);
  if (node?.type !== 'send-message') return {};
  return { quietHours: node.config.quietHours, whenCapped: node.config.whenCapped };
}

/**
 * The end of quiet time at `at` under both windows (the workspace's and the step's), or
 * undefined when `at` is outside both: the next minute a mail may go.
 */
export function nextAllowedMinute(
  at: number,
  windows: readonly ({ start: string; end: string } | null | undefined)[],
  timeZone: string,
): number | undefined {
  let time = at;
  // Two windows can hand over to each other a few times at most.
  for (let round = 0; round < 6; round++) {
    let moved = false;
    for (const window of windows) {
      if (!window) continue;
      const end = quietHoursEnd(new Date(time), window, timeZone);
      if (end) {
        time = end.getTime();
        moved = true;
      }
    }
    if (!moved) break;
  }
  return time === at ? undefined : time;
}

function clockTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

/**
 * The policy's decision for one claimed marketing mail, in the send-time guard's transaction
 * (SQLite: one writer; PostgreSQL: the guard's serialized write transaction), so two workers never
 * both release the last mail under the cap. A mail it lets go is counted by the cap from now on.
 * Other categories (opt-in, privacy, transactional system mail) are not subject to it.
 */
export async function decideDelivery(
  db: Db,
  input: { row: OutboxRecord; timeZone: string | null | undefined; channel?: Channel; now: number },
): Promise<PolicyDecision> {
  const { row, now } = input;
  if (row.category !== 'marketing' || row.customerId === null) return { action: 'send' };
  const policy = await channelPolicy(db, input.channel ?? 'email');
  const step = await stepRulesOf(db, row);
  const timeZone = safeTimeZone(input.timeZone);
  const decision = await decideUnderRules(db, { row, now, timeZone, policy, step });
  if (decision.action === 'send') {
    await markPolicyReleased(db, row.id, now);
    return decision;
  }
  const exemption = policy.exemptTransactional ? await transactionalBasis(db, row.purposeId) : undefined;
  if (exemption) {
    // Exempt mail is neither held nor counted by the cap.
    return {
      action: 'send',
      note: `sent despite the workspace delivery policy: ${exemption.name} is transactional (${exemption.basis === 'contract' ? 'contract' : 'legal obligation'}), exempt from caps and quiet hours`,
    };
  }
  return decision;
}

async function decideUnderRules(
  db: Db,
  input: { row: OutboxRecord; now: number; timeZone: string; policy: ChannelPolicy; step: StepRules },
): Promise<PolicyDecision> {
  const { row, now, timeZone, policy, step } = input;
  const quietUntil = nextAllowedMinute(now, [policy.quietHours, step.quietHours], timeZone);
  if (quietUntil !== undefined) {
    const which = [
      policy.quietHours ? `workspace ${policy.quietHours.start}–${policy.quietHours.end}` : undefined,
      step.quietHours ? `step ${step.quietHours.start}–${step.quietHours.end}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return {
      action: 'hold',
      until: quietUntil,
      reason: `held for quiet hours (${which}, ${timeZone}); sending at ${clockTime(quietUntil, timeZone)}`,
    };
  }
  if (!policy.cap) return { action: 'send' };
  const windowMs = policy.cap.perDays * DAY_MS;
  const released = await countReleasedMail(db, row.customerId!, now - windowMs, row.id);
  if (released.count < policy.cap.max) return { action: 'send' };
  const limit = `the workspace limit of ${policy.cap.max} marketing mails in ${policy.cap.perDays} ${policy.cap.perDays === 1 ? 'day' : 'days'} is reached (${released.count} sent)`;
  const choice = step.whenCapped ?? { action: 'hold' as const, withinHours: DEFAULT_HOLD_HOURS };
  if (choice.action === 'skip') return { action: 'skip', reason: `skipped: ${limit}` };
  const withinHours = choice.withinHours ?? DEFAULT_HOLD_HOURS;
  const frees = (released.oldest ?? now) + windowMs + 1;
  const deadline = (await queuedAt(db, row.id)) + withinHours * HOUR_MS;
  if (frees > deadline)
    return {
      action: 'skip',
      reason: `skipped: ${limit} and frees no room within ${formatDuration(withinHours, 'hours')}`,
    };
  return {
    action: 'hold',
    until: frees,
    reason: `held: ${limit}; retrying when the oldest leaves the window`,
  };
}

async function queuedAt(db: Db, outboxId: number): Promise<number> {
  const row = await sqlGet<{ created_at: number | string }>(
    db,
    'SELECT created_at FROM outbox WHERE id = ?',
    [outboxId],
  );
  return Number(row?.created_at ?? Date.now());
}

async function transactionalBasis(
  db: Db,
  purposeId: number | null,
): Promise<{ name: string; basis: LegalBasis } | undefined> {
  if (purposeId === null) return undefined;
  const purpose = await sqlGet<{ name: string; legal_basis: LegalBasis }>(
    db,
    'SELECT name, legal_basis FROM purposes WHERE id = ?',
    [purposeId],
  );
  if (!purpose || (purpose.legal_basis !== 'contract' && purpose.legal_basis !== 'legal-obligation'))
    return undefined;
  return { name: purpose.name, basis: purpose.legal_basis };
}

/** The step event outcome and the step count each policy decision records. */
export const POLICY_OUTCOMES = {
  hold: { outcome: 'held-send', handle: 'held-at-send' },
  skip: { outcome: 'skipped-send', handle: 'skipped-at-send' },
  send: { outcome: 'exempt-send', handle: 'exempt-at-send' },
} as const;

/**
 * Carries out a decision on a claimed mail: a held mail goes back to the queue until the next
 * allowed minute (no attempt counted), a skipped one is cancelled; either way (and for an exempt
 * mail the policy let through) the reason goes on the customer's path in the journey and into the
 * step's counts. A plain 'send' records nothing.
 */
export async function recordPolicyDecision(
  db: Db,
  row: OutboxRecord,
  owner: string,
  decision: PolicyDecision,
  now: number,
): Promise<void> {
  let reason: string;
  if (decision.action === 'hold') {
    if (!(await deferOutbox(db, row.id, decision.until, decision.reason))) return;
    reason = decision.reason;
  } else if (decision.action === 'skip') {
    if (!(await cancelOutbox(db, row.id, decision.reason))) return;
    reason = decision.reason;
  } else if (decision.note) {
    reason = decision.note;
  } else {
    return;
  }
  const ref = row.payload as { journeyId?: unknown; nodeId?: unknown } | null;
  if (row.enrollmentId === null || typeof ref?.nodeId !== 'string') return;
  const { outcome, handle } = POLICY_OUTCOMES[decision.action];
  await appendStepNote(db, row.enrollmentId, {
    nodeId: ref.nodeId,
    stepType: 'send-message',
    outcome,
    reason,
    at: now,
  });
  if (typeof ref.journeyId === 'number')
    await incrementNodeStats(db, ref.journeyId, new Map([[nodeStatKey(ref.nodeId, handle), 1]]));
}
