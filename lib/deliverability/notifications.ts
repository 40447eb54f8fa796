// Provider notification and DSN shapes (no database, no domain imports), shared by the API
// document (lib/api) and the bounce handling (lib/delivery).
import { z } from 'zod';
import { messageIdOfToken } from '@/lib/mail/transport';
import type { DeliverabilityKind, DeliverabilityProvider } from '@/lib/vocabulary/delivery';

/**
 * Provider notifications about bounces and complaints, read into one shape: the generic JSON
 * shape documented in the API, Amazon SES (through SNS, or its bare event) and Postmark. Each
 * parser names the field that is wrong; nothing here touches the database.
 */

export interface DeliverabilityEvent {
  kind: DeliverabilityKind;
  /** Lower-cased recipient address. */
  address: string;
  /** The Message-ID Tarmo sent the mail with (`<…@tarmo>`), when the notification carries it. */
  messageId?: string;
  /** The outbox id, when the sender put it in the notification (generic shape). */
  outboxId?: number;
  detail: string;
}

export type ParsedNotification =
  | { kind: 'events'; events: DeliverabilityEvent[] }
  /** SNS asks to confirm a subscription by visiting SubscribeURL (checked: an SNS host). */
  | { kind: 'subscription-confirmation'; subscribeUrl: string }
  | { kind: 'ignored'; reason: string };

export type ParseResult =
  { ok: true; value: ParsedNotification } | { ok: false; field: string; message: string };

const address = z.email('Enter an email address').max(320);

export const genericEventSchema = z.strictObject({
  type: z.enum(['hard-bounce', 'soft-bounce', 'complaint']).describe('What happened to the mail'),
  email: address.describe('The recipient the notification is about'),
  messageId: z
    .string()
    .max(998)
    .optional()
    .describe('The Message-ID header of the mail Tarmo sent (e.g. <3f2a…@tarmo>)'),
  outboxId: z.int().positive().optional().describe('The outbox id of the mail, if known'),
  detail: z.string().max(2000).optional().describe('The provider’s diagnostic text'),
});

export const genericNotificationSchema = z.union([
  genericEventSchema,
  z.strictObject({ events: z.array(genericEventSchema).min(1).max(100) }),
]);

// ---------------------------------------------------------------- Amazon SES (via SNS)

const snsEnvelopeSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().max(200).optional(),
  TopicArn: z.string().max(500).optional(),
  Message: z.string().max(200_000),
  SubscribeURL: z.string().max(2000).optional(),
});

const sesHeaderSchema = z.object({ name: z.string(), value: z.string() });
const sesMessageSchema = z.object({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z
    .object({
      messageId: z.string().optional(),
      headers: z.array(sesHeaderSchema).optional(),
      commonHeaders: z.object({ messageId: z.string().optional() }).loose().optional(),
    })
    .loose(),
  bounce: z
    .object({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z
        .array(
          z
            .object({
              emailAddress: address,
              diagnosticCode: z.string().optional(),
              status: z.string().optional(),
            })
            .loose(),
        )
        .min(1),
    })
    .loose()
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: address }).loose()).min(1),
      complaintFeedbackType: z.string().optional(),
    })
    .loose()
    .optional(),
});

/** An SNS host: sns.<region>.amazonaws.com (or .com.cn), over https, with no credentials or port. */
export function isSnsSubscribeUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    !url.username &&
    !url.password &&
    !url.port &&
    /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname)
  );
}

function zodProblem(error: z.ZodError, prefix = ''): { ok: false; field: string; message: string } {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path.map(String) ?? [])].filter(Boolean).join('.') || 'body';
  return { ok: false, field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}

function parseSes(body: unknown): ParseResult {
  // Through SNS (the usual HTTPS subscription), or the bare SES event (e.g. forwarded).
  const envelope = snsEnvelopeSchema.safeParse(body);
  let message: unknown = body;
  if (envelope.success) {
    const { Type, SubscribeURL } = envelope.data;
    if (Type === 'SubscriptionConfirmation') {
      if (!SubscribeURL || !isSnsSubscribeUrl(SubscribeURL))
        return { ok: false, field: 'SubscribeURL', message: 'SubscribeURL: not an Amazon SNS address' };
      return { ok: true, value: { kind: 'subscription-confirmation', subscribeUrl: SubscribeURL } };
    }
    if (Type === 'UnsubscribeConfirmation')
      return { ok: true, value: { kind: 'ignored', reason: 'unsubscribed' } };
    try {
      message = JSON.parse(envelope.data.Message) as unknown;
    } catch {
      return { ok: false, field: 'Message', message: 'Message: not JSON' };
    }
  } else if (typeof body === 'object' && body !== null && 'Type' in body) {
    return zodProblem(envelope.error);
  }
  const parsed = sesMessageSchema.safeParse(message);
  if (!parsed.success) return zodProblem(parsed.error, envelope.success ? 'Message' : '');
  const ses = parsed.data;
  const type = ses.notificationType ?? ses.eventType;
  const headerId =
    ses.mail.commonHeaders?.messageId ??
    ses.mail.headers?.find((header) => header.name.toLowerCase() === 'message-id')?.value;
  if (type === 'Bounce') {
    if (!ses.bounce) return { ok: false, field: 'bounce', message: 'bounce: required for a Bounce' };
    const kind: DeliverabilityKind = ses.bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce';
    return {
      ok: true,
      value: {
        kind: 'events',
        events: ses.bounce.bouncedRecipients.map((recipient) => ({
          kind,
          address: recipient.emailAddress.toLowerCase(),
          messageId: headerId,
          detail: [
            ses.bounce!.bounceType,
            ses.bounce!.bounceSubType,
            recipient.status,
            recipient.diagnosticCode,
          ]
            .filter(Boolean)
            .join(' ')
            .slice(0, 500),
        })),
      },
    };
  }
  if (type === 'Complaint') {
    if (!ses.complaint)
      return { ok: false, field: 'complaint', message: 'complaint: required for a Complaint' };
    return {
      ok: true,
      value: {
        kind: 'events',
        events: ses.complaint.complainedRecipients.map((recipient) => ({
          kind: 'complaint' as const,
          address: recipient.emailAddress.toLowerCase(),
          messageId: headerId,
          detail: `complaint${ses.complaint!.complaintFeedbackType ? ` (${ses.complaint!.complaintFeedbackType})` : ''}`,
        })),
      },
    };
  }
  return {
    ok: true,
    value: { kind: 'ignored', reason: `SES ${type ?? 'event'} is not a bounce or complaint` },
  };
}

// ---------------------------------------------------------------- Postmark

export const postmarkSchema = z
  .object({
    RecordType: z.string().max(50),
    Type: z.string().max(50).optional(),
    Email: address,
    MessageID: z.string().max(200).optional(),
    Description: z.string().max(2000).optional(),
    Details: z.string().max(2000).optional(),
    Metadata: z.record(z.string(), z.string()).optional(),
  })
  .loose();

const POSTMARK_HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Blocked']);
const POSTMARK_SOFT = new Set([
  'SoftBounce',
  'Transient',
  'DnsError',
  'MailboxFull' /* not a Postmark type, kept */,
]);

/**
 * Tarmo's Message-ID from the metadata Postmark sends back (lib/mail/transport sets it with an
 * X-PM-Metadata-tarmo-message-id header; the key's case is not relied on).
 */
function postmarkMessageId(metadata: Record<string, string> | undefined): string | undefined {
  const value = Object.entries(metadata ?? {}).find(([key]) => key.toLowerCase() === 'tarmo-message-id')?.[1];
  return value ? messageIdOfToken(value) : undefined;
}

function parsePostmark(body: unknown): ParseResult {
  const parsed = postmarkSchema.safeParse(body);
  if (!parsed.success) return zodProblem(parsed.error);
  const note = parsed.data;
  const type = note.RecordType === 'SpamComplaint' ? 'SpamComplaint' : (note.Type ?? '');
  const kind: DeliverabilityKind | undefined =
    type === 'SpamComplaint'
      ? 'complaint'
      : POSTMARK_HARD.has(type)
        ? 'hard-bounce'
        : POSTMARK_SOFT.has(type)
          ? 'soft-bounce'
          : undefined;
  if (!kind)
    return { ok: true, value: { kind: 'ignored', reason: `Postmark ${note.RecordType} ${type}`.trim() } };
  const outboxId = Number(note.Metadata?.tarmoOutboxId);
  const messageId = postmarkMessageId(note.Metadata);
  return {
    ok: true,
    value: {
      kind: 'events',
      events: [
        {
          kind,
          address: note.Email.toLowerCase(),
          ...(messageId ? { messageId } : {}),
          ...(Number.isInteger(outboxId) && outboxId > 0 ? { outboxId } : {}),
          detail: [type, note.Description, note.Details].filter(Boolean).join(': ').slice(0, 500),
        },
      ],
    },
  };
}

function parseGeneric(body: unknown): ParseResult {
  const parsed = genericNotificationSchema.safeParse(body);
  if (!parsed.success) {
    // Name the field of the shape the sender meant (a list when it sent `events`).
    const meant =
      typeof body === 'object' && body !== null && 'events' in body
        ? z.strictObject({ events: z.array(genericEventSchema).min(1).max(100) }).safeParse(body)
        : genericEventSchema.safeParse(body);
    return zodProblem(meant.success ? parsed.error : meant.error);
  }
  const list = 'events' in parsed.data ? parsed.data.events : [parsed.data];
  return {
    ok: true,
    value: {
      kind: 'events',
      events: list.map((event) => ({
        kind: event.type,
        address: event.email.toLowerCase(),
        messageId: event.messageId,
        outboxId: event.outboxId,
        detail: (event.detail ?? event.type).slice(0, 500),
      })),
    },
  };
}

export function parseNotification(provider: DeliverabilityProvider, body: unknown): ParseResult {
  if (provider === 'ses') return parseSes(body);
  if (provider === 'postmark') return parsePostmark(body);
  return parseGeneric(body);
}

// ---------------------------------------------------------------- RFC 3464 DSN (inbound SMTP)

/** The header blocks of a message/delivery-status body (RFC 3464 §2.1): per-message, then per-recipient. */
function statusBlocks(text: string): Map<string, string>[] {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  return unfolded
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
        if (match) fields.set(match[1].toLowerCase(), match[2].trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);
}

/** "rfc822; Person@Example.test" → "person@example.test". */
function addressField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const raw = (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value)
    .trim()
    .replace(/^<|>$/g, '');
  return address.safeParse(raw).success ? raw.toLowerCase() : undefined;
}

export function messageIdIn(headers: string): string | undefined {
  return /^message-id:\s*(<[^>\r\n]+>)/im.exec(headers.replace(/\r\n[ \t]+/g, ' '))?.[1];
}

/**
 * Bounces and complaints in an inbound report, from its parts as mailparser gives them: a
 * delivery status notification (multipart/report; report-type=delivery-status: per recipient,
 * Action failed with a 5.x.x status is a hard bounce, 4.x.x or delayed a soft one) or an abuse
 * feedback report (report-type=feedback-report, RFC 5965) as a complaint. The original message's
 * headers give the Message-ID Tarmo sent it with.
 */
export function parseReport(
  parts: readonly { contentType: string; content: Buffer | string }[],
): DeliverabilityEvent[] {
  const text = (part: { content: Buffer | string }) =>
    typeof part.content === 'string' ? part.content : part.content.toString('utf8');
  const original = parts.find((part) => /^(text\/rfc822-headers|message\/rfc822)/i.test(part.contentType));
  const messageId = original ? messageIdIn(text(original)) : undefined;
  const events: DeliverabilityEvent[] = [];
  const status = parts.find((part) => /^message\/(global-)?delivery-status/i.test(part.contentType));
  if (status) {
    for (const block of statusBlocks(text(status))) {
      const recipient = addressField(block.get('final-recipient') ?? block.get('original-recipient'));
      const action = block.get('action')?.toLowerCase();
      if (!recipient || !action) continue;
      const code = /^([245])\.\d{1,3}\.\d{1,3}/.exec(block.get('status') ?? '')?.[0];
      let kind: DeliverabilityKind | undefined;
      if (action === 'failed') kind = code?.startsWith('4') ? 'soft-bounce' : 'hard-bounce';
      else if (action === 'delayed') kind = 'soft-bounce';
      if (!kind) continue;
      events.push({
        kind,
        address: recipient,
        messageId,
        detail: [action, code, block.get('diagnostic-code')].filter(Boolean).join(' ').slice(0, 500),
      });
    }
  }
  const feedback = parts.find((part) => /^message\/feedback-report/i.test(part.contentType));
  if (feedback) {
    const [fields] = statusBlocks(text(feedback));
    const recipient =
      addressField(fields?.get('original-rcpt-to')) ??
      (original
        ? addressField(/^to:\s*(.*)$/im.exec(text(original))?.[1]?.match(/[^\s<>"]+@[^\s<>"]+/)?.[0])
        : undefined);
    if (recipient)
      events.push({
        kind: 'complaint',
        address: recipient,
        messageId,
        detail: `complaint (${fields?.get('feedback-type') ?? 'abuse'})`,
      });
  }
  return events;
}
