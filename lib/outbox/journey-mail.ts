import { z } from 'zod';
import type { Db } from '@/db/client';
import { type CustomerRuntime } from '@/db/store/journey-runtime';
import { loadPublishedVersion } from '@/lib/versions/published';
import { journeyNameOf, messagePurpose, type MessagePurpose } from '@/db/store/messages';
import { saveRenderedMail, type OutboxRecord } from '@/db/store/outbox';
import { buildMarketingMail } from './marketing';

/**
 * A journey's send step queues its mail unrendered: the outbox row names the customer, the
 * purpose and the (immutable) journey version and step whose subject and body it sends. The
 * dispatcher renders it when it first claims the row, after the send-time guard passed:
 * - nothing personal (address, name, attributes) is copied into the outbox before sending, and a
 *   mail cancelled before sending never had any;
 * - the unsubscribe link is minted for the mail that is actually sent, and its lifetime counts
 *   from sending;
 * - the executor's batch writes a small row instead of a rendered mail and a token.
 * The rendered mail is stored on the row, so a retry sends the same bytes with the same link.
 */
const journeyMailRefSchema = z.object({
  journeyId: z.number().int(),
  versionId: z.number().int(),
  nodeId: z.string(),
});
export type JourneyMailRef = z.infer<typeof journeyMailRefSchema>;

/** The step a claimed row's mail comes from, when it is a journey mail still waiting to be rendered. */
export function journeyMailRefOf(row: OutboxRecord): JourneyMailRef | undefined {
  if (row.kind !== 'email' || row.bodyText !== null) return undefined;
  const parsed = journeyMailRefSchema.safeParse(row.payload);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Renders a claimed journey mail for its customer as the send-time guard just read them, and
 * stores it on the row (in the caller's transaction, which also holds the unsubscribe token).
 * Returns the row to deliver, or why it cannot be sent.
 */
export async function renderJourneyMail(
  db: Db,
  row: OutboxRecord,
  ref: JourneyMailRef,
  customer: CustomerRuntime,
  owner: string,
  now: number,
  /** Purposes as this claim already read them (one read per purpose and theme per claim). */
  purposes?: Map<string, Promise<MessagePurpose | undefined>>,
): Promise<{ ok: true; row: OutboxRecord } | { ok: false; reason: string }> {
  const version = await loadPublishedVersion(db, ref.versionId);
  const node = version?.nodesById.get(ref.nodeId);
  if (node?.type !== 'send-message')
    return { ok: false, reason: 'cancelled before sending: its journey step no longer exists' };
  const { purpose, theme, subject, body, content } = node.config;
  let known: Promise<MessagePurpose | undefined> | undefined;
  if (purposes) {
    const key = `${purpose}\u0000${theme ?? ''}`;
    known = purposes.get(key);
    if (!known) purposes.set(key, (known = messagePurpose(db, purpose, theme)));
  }
  const mail = await buildMarketingMail(db, {
    customerId: customer.id,
    purposeKey: purpose,
    themeKey: theme,
    content,
    subject,
    body,
    journeyName: await journeyNameOf(db, ref.journeyId),
    recipient: customer,
    purpose: known ? await known : undefined,
    now: new Date(now),
  });
  if (!mail.ok) return { ok: false, reason: mail.reason.replace(/^skipped: /, 'cancelled before sending: ') };
  const rendered = {
    toAddress: mail.toAddress,
    subject: mail.subject,
    bodyText: mail.bodyText,
    bodyHtml: mail.bodyHtml,
    headers: mail.headers,
  };
  // Rolls the token back with the transaction; the dispatcher that holds the row now sends it.
  if (!(await saveRenderedMail(db, row.id, owner, rendered)))
    throw new Error('the lease on this mail ran out before it was rendered');
  return { ok: true, row: { ...row, ...rendered } };
}
