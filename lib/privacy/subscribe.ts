import { z } from 'zod';
import { writeTransaction } from '@/db/client';
import { currentNotice, purposeByKey } from '@/db/store/consent';
import { customerByEmail, insertSelfSignupCustomer } from '@/db/store/privacy-customers';
import { getDb } from '@/db/client';
import { truncateIp } from './crypto';
import { gpcMessage, honourGpcSignal, purposesHonouringGpc } from './gpc';
import { localizedText } from '@/lib/mail/i18n/named-text';
import { requestDoubleOptIn } from './optin';
import type { ClientInfo } from './unsubscribe';
import { err, ok, type Failure, type Result } from '@/lib/result';

export const subscribeSchema = z.strictObject({
  email: z.email().max(254),
  purposes: z.array(z.string().min(1).max(100)).min(1).max(10),
  noticeVersion: z.coerce.number().int().min(1),
  themes: z.array(z.string().min(1).max(100)).max(50).optional(),
  locale: z.enum(['en', 'de']).optional(),
});
export type SubscribeInput = z.infer<typeof subscribeSchema>;

/** The one answer every valid sign-up gets, whatever we know about the address. */
export const SUBSCRIBE_ACCEPTED = {
  status: 'accepted',
  message:
    'If this address can receive mail, a link to confirm is on its way. Nothing is sent before you confirm.',
} as const;

/**
 * The answer to a sign-up that carried Global Privacy Control: the same body plus a plain
 * statement that the signal was honoured. It names the purposes the workspace marks, never
 * anything about the address, so every such request still gets the same answer.
 */
export async function subscribeAnswer(input: SubscribeInput, gpc: boolean) {
  if (!gpc) return SUBSCRIBE_ACCEPTED;
  const locale = input.locale ?? 'en';
  const names = (await purposesHonouringGpc(getDb())).map((p) => localizedText(p, locale).name);
  return { ...SUBSCRIBE_ACCEPTED, gpc: { honoured: true as const, message: gpcMessage(locale, names) } };
}

export type SubscribeCheck = Result<undefined, Failure<'unknown_purpose' | 'notice_changed'>>;

/**
 * Checks what does not depend on the address (so failing it reveals nothing about anyone):
 * each purpose exists, takes consent, and its current notice is the version the form showed.
 */
export async function checkSubscribeRequest(input: SubscribeInput): Promise<SubscribeCheck> {
  const db = getDb();
  for (const [i, key] of input.purposes.entries()) {
    const purpose = await purposeByKey(db, key);
    if (!purpose || purpose.archivedAt || purpose.legalBasis !== 'consent') {
      return err('unknown_purpose', `No sign-up purpose ${key}`, { field: `purposes.${i}` });
    }
    const notice = await currentNotice(db, purpose.id, input.locale ?? 'en');
    if (notice && notice.version !== input.noticeVersion) {
      return err(
        'notice_changed',
        `The notice for ${key} is now version ${notice.version}; show it and ask again`,
        { field: 'noticeVersion' },
      );
    }
  }
  return ok();
}

/**
 * Starts double opt-in for a public sign-up. Runs after the response is sent, so the answer's
 * timing does not depend on whether the address was known. A third party can only cause one
 * confirmation mail (cooldown-limited): no consent exists until the mailbox owner confirms.
 */
export async function processSignup(
  input: SubscribeInput,
  client: ClientInfo,
  /** The request carried Global Privacy Control (`Sec-GPC: 1`). */
  gpc = false,
): Promise<void> {
  const now = new Date();
  await writeTransaction(async (db) => {
    const email = input.email.trim().toLowerCase();
    const known = await customerByEmail(db, email);
    const customer =
      known ?? (await insertSelfSignupCustomer(db, { email, locale: input.locale ?? 'en', now }));
    if (customer.status !== 'active') return;
    // The signal first: its objections stand before anything else, and GPC never grants, so no
    // opt-in starts for a purpose it objects to. Anyone can type a known address into the form, so
    // the signal changes nothing recorded for it (no objection, no block): it only keeps opt-ins
    // for the marked purposes from starting. A person the sign-up creates gets the objection.
    const objected = !gpc
      ? []
      : known
        ? (await purposesHonouringGpc(db)).map((p) => p.key)
        : (
            await honourGpcSignal(db, { customerId: customer.id, place: 'sign-up', client, now })
          ).purposes.map((p) => p.key);
    for (const purposeKey of input.purposes.filter((key) => !objected.includes(key))) {
      await requestDoubleOptIn(db, {
        customerId: customer.id,
        purposeKey,
        themes: input.themes,
        source: 'form',
        evidence: {
          via: 'public sign-up',
          noticeVersion: input.noticeVersion,
          ip: truncateIp(client.ip),
          userAgent: (client.userAgent ?? '').slice(0, 300),
        },
        now,
      });
    }
  });
}
