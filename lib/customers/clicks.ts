import { writeTransaction } from '@/db/client';
import { purposeById } from '@/db/store/consent';
import { insertEvent } from '@/db/store/customers';
import { customerById } from '@/db/store/privacy-customers';
import { onEventIngested } from '@/lib/executor/lifecycle';
import { linkGone, linkNotFound, lookupLink, type LinkResult } from '@/lib/privacy/links';
import { ok } from '@/lib/result';

/** The event a tracked click records (journeys can wait for it or start on it). */
export const CLICK_EVENT = 'email.clicked';

export type ClickResult = LinkResult<{ url: string }>;

/**
 * A click on a tracked link (`GET /c/<token>`, only in mails of a purpose with click tracking on):
 * records an `email.clicked` event with the purpose, theme and address, and answers the address
 * stored with the token, the only place the redirect may go (the request names none). Changes no
 * consent; an unknown, expired or erased customer's link records nothing.
 */
export async function recordClick(raw: string, now = new Date()): Promise<ClickResult> {
  return await writeTransaction(async (db): Promise<ClickResult> => {
    const found = await lookupLink(db, raw, ['click'], { now, allowUsed: true });
    if (!found.ok) return found;
    const token = found.value;
    const url = token.payload.url;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return linkNotFound();
    const customer = token.customerId ? await customerById(db, token.customerId) : undefined;
    if (!customer || customer.status === 'erased') return linkGone();
    const purpose = token.purposeId ? await purposeById(db, token.purposeId) : undefined;
    const properties = {
      purpose: purpose?.key ?? null,
      theme: (token.payload.themeKey as string | null | undefined) ?? null,
      url,
    };
    const id = await insertEvent(db, {
      customerId: customer.id,
      name: CLICK_EVENT,
      properties,
      occurredAt: now,
      receivedAt: now,
    });
    await onEventIngested(db, customer.id, { id, name: CLICK_EVENT, properties, occurredAt: now });
    return ok({ url });
  });
}
