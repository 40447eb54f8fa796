import { z } from 'zod';
import { getDb, writeTransaction } from '@/db/client';
import { insertAudit } from '@/db/store/audit';
import { findCustomerRuntime } from '@/db/store/journey-runtime';
import {
  journeyNameOf,
  messagePurpose,
  searchPreviewCustomers,
  type PreviewCustomerRow,
} from '@/db/store/messages';
import { insertOutboxMail } from '@/db/store/privacy-outbox';
import type { StaffUser } from '@/lib/auth/roles';
import { appEnv } from '@/lib/config/env';
import { err, ok, type Result } from '@/lib/result';
import { compileVariant } from './compile';
import { MESSAGE_LANGUAGES, messageContentSchema } from './content';
import { renderMessage, type RenderedMessage } from './render';
import { purposeInMailLanguage } from './purpose-text';
import { messageScope } from './variables';
import { savedTestAddresses, workspaceLayout } from './workspace-settings';

export const previewRequestSchema = z.strictObject({
  content: messageContentSchema,
  purpose: z.string().trim().min(1, 'Choose the purpose first').max(100),
  theme: z.string().max(100).optional(),
  /** A real customer to render as; without one, an empty profile in `language`. */
  customerId: z.int().positive().optional(),
  language: z.enum(MESSAGE_LANGUAGES).default('en'),
  journeyName: z.string().max(200).optional(),
  /** The journey being edited: `journey.name` previews as the mail will have it. */
  journeyId: z.int().positive().optional(),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export type MessagePreview = RenderedMessage & {
  customer: { id: number; name: string; language: string } | null;
  /** MJML validation errors of the variant shown (it still compiled; publishing refuses them). */
  mjmlErrors: string[];
};

/**
 * Renders the message exactly as the dispatcher would (lib/messages/render), for one customer or
 * an empty profile. Reads only: the links are placeholders, no token is minted, nothing is stored.
 */
export async function previewMessage(
  input: PreviewRequest,
  options: { test?: boolean } = {},
): Promise<Result<MessagePreview>> {
  const db = getDb();
  const purpose = await messagePurpose(db, input.purpose, input.theme);
  if (!purpose) return err('unknown_purpose', `Unknown purpose ${input.purpose}`, { field: 'purpose' });
  const customer =
    input.customerId === undefined ? undefined : await findCustomerRuntime(db, input.customerId);
  if (input.customerId !== undefined && (!customer || customer.status === 'erased'))
    return err('unknown_customer', 'No such customer', { field: 'customerId' });
  const base = appEnv().appUrl;
  const links = {
    unsubscribeUrl: `${base}/unsubscribe/${options.test ? 'test-message' : 'preview'}`,
    preferencesUrl: `${base}/preferences/${options.test ? 'test-message' : 'preview'}`,
  };
  const language = customer?.locale ?? input.language;
  const named = purposeInMailLanguage(purpose, input.content, language);
  const layout = await workspaceLayout(db);
  const rendered = await renderMessage({
    content: input.content,
    layout,
    language,
    timeZone: customer?.timeZone ?? 'UTC',
    scope: messageScope({
      customer,
      purpose: named.purpose,
      theme: named.theme,
      journey: {
        name:
          input.journeyName ??
          (input.journeyId === undefined ? '' : await journeyNameOf(db, input.journeyId)),
      },
      links,
    }),
    footer: { purposeName: named.purpose.name, legalBasis: purpose.legalBasis, ...links, test: options.test },
  });
  if (!rendered.ok) return err('unprocessable', rendered.error, { field: 'content' });
  const variant = input.content.variants[rendered.message.language];
  const compiled = variant ? await compileVariant(variant, layout) : undefined;
  return ok({
    ...rendered.message,
    mjmlErrors: (compiled?.errors ?? []).map(
      (error) => `${error.line ? `Line ${error.line}: ` : ''}${error.message}`,
    ),
    customer: customer ? { id: customer.id, name: customer.name, language: customer.locale } : null,
  });
}

export const testSendSchema = previewRequestSchema.extend({
  /** Also to the workspace's saved test addresses (Settings → Message layout), not only to oneself. */
  toSavedList: z.boolean().default(false),
});

/**
 * Mails the rendered message to the signed-in staff member (and the saved test addresses) through
 * the outbox, so it goes out as real mail does (SMTP or the built-in outbox). Marked as a test in
 * subject, footer and header; no customer, purpose, consent or ledger is touched.
 */
export async function sendTestMessage(
  staff: StaffUser,
  input: z.infer<typeof testSendSchema>,
  now = new Date(),
): Promise<Result<{ to: string[]; subject: string }>> {
  const preview = await previewMessage(input, { test: true });
  if (!preview.ok) return preview;
  // Only saved addresses: a test send cannot mail an address nobody put on the workspace's list.
  const saved = input.toSavedList ? await savedTestAddresses() : [];
  const to = [...new Set([staff.email.toLowerCase(), ...saved])];
  const subject = `[TEST] ${preview.value.subject}`;
  await writeTransaction(async (db) => {
    for (const address of to)
      await insertOutboxMail(db, {
        idempotencyKey: `test:${staff.id}:${now.getTime()}:${address}`,
        category: 'test',
        customerId: null,
        toAddress: address,
        subject,
        bodyText: preview.value.text,
        bodyHtml: preview.value.html,
        headers: { 'X-Tarmo-Test': 'design check', 'Content-Language': preview.value.language },
        now,
      });
    await insertAudit(db, {
      actorType: 'user',
      actorId: staff.id,
      action: 'message.test_send',
      details: { recipients: to.length, asCustomer: input.customerId ?? null },
    });
  });
  return ok({ to, subject });
}

export async function findPreviewCustomers(query: string): Promise<PreviewCustomerRow[]> {
  const trimmed = query.trim().slice(0, 100);
  if (!trimmed) return [];
  return await searchPreviewCustomers(getDb(), trimmed);
}
