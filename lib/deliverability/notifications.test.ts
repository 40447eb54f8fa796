import { describe, expect, it } from 'vitest';
import { parseNotification, parseReport, type ParseResult } from './notifications';

/** The events of a parse that must have succeeded with events. */
function eventsOf(result: ParseResult) {
  if (!result.ok) throw new Error(result.message);
  if (result.value.kind !== 'events') throw new Error(`not events: ${result.value.kind}`);
  return result.value.events;
}

/** An SES bounce as Amazon documents it (notification contents, "Bounce" object). */
function sesBounce(bounceType: 'Permanent' | 'Transient', key: 'notificationType' | 'eventType') {
  return {
    [key]: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: 'Jane@Example.test',
          action: 'failed',
          status: bounceType === 'Permanent' ? '5.1.1' : '4.2.2',
          diagnosticCode:
            bounceType === 'Permanent' ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 mailbox full',
        },
        { emailAddress: 'richard@example.test' },
      ],
      timestamp: '2026-12-07T10:00:00.000Z',
      feedbackId: '0000013786031775-fea503bc-7497-49e1-881b-a0379bb037d3-000000',
      reportingMTA: 'dsn; a8-70.smtp-out.amazonses.com',
    },
    mail: {
      timestamp: '2026-12-07T09:59:58.000Z',
      source: 'no-reply@tarmo.test',
      messageId: '00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000',
      destination: ['jane@example.test', 'richard@example.test'],
      headersTruncated: false,
      headers: [{ name: 'Message-ID', value: '<3f2a@tarmo>' }],
    },
  };
}

describe('Amazon SES notifications', () => {
  it('reads a permanent bounce through SNS as hard bounces of every recipient, with the Message-ID header', () => {
    const events = eventsOf(
      parseNotification('ses', {
        Type: 'Notification',
        MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
        Message: JSON.stringify(sesBounce('Permanent', 'notificationType')),
        Timestamp: '2026-12-07T10:00:01.000Z',
        SignatureVersion: '1',
      }),
    );
    expect(events).toEqual([
      {
        kind: 'hard-bounce',
        address: 'jane@example.test',
        messageId: '<3f2a@tarmo>',
        detail: 'Permanent General 5.1.1 smtp; 550 5.1.1 user unknown',
      },
      {
        kind: 'hard-bounce',
        address: 'richard@example.test',
        messageId: '<3f2a@tarmo>',
        detail: 'Permanent General',
      },
    ]);
  });

  it('reads a transient bounce (an event-publishing event, posted bare) as soft bounces', () => {
    const events = eventsOf(parseNotification('ses', sesBounce('Transient', 'eventType')));
    expect(events.map((event) => [event.kind, event.address])).toEqual([
      ['soft-bounce', 'jane@example.test'],
      ['soft-bounce', 'richard@example.test'],
    ]);
  });

  it('reads a complaint with its feedback type, and ignores deliveries and unsubscribe confirmations', () => {
    const complaint = eventsOf(
      parseNotification('ses', {
        notificationType: 'Complaint',
        complaint: {
          complainedRecipients: [{ emailAddress: 'jane@example.test' }],
          complaintFeedbackType: 'abuse',
          timestamp: '2026-12-07T10:00:00.000Z',
        },
        mail: { messageId: 'ses-1', commonHeaders: { messageId: '<c0ffee@tarmo>', subject: 'Hello' } },
      }),
    );
    expect(complaint).toEqual([
      {
        kind: 'complaint',
        address: 'jane@example.test',
        messageId: '<c0ffee@tarmo>',
        detail: 'complaint (abuse)',
      },
    ]);
    expect(parseNotification('ses', { notificationType: 'Delivery', mail: {} })).toEqual({
      ok: true,
      value: { kind: 'ignored', reason: 'SES Delivery is not a bounce or complaint' },
    });
    expect(parseNotification('ses', { Type: 'UnsubscribeConfirmation', Message: 'bye' })).toMatchObject({
      ok: true,
      value: { kind: 'ignored' },
    });
    expect(
      parseNotification('ses', {
        Type: 'SubscriptionConfirmation',
        Message: 'confirm',
        SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
      }),
    ).toEqual({
      ok: true,
      value: {
        kind: 'subscription-confirmation',
        subscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
      },
    });
  });
});

describe('Postmark webhooks', () => {
  const bounce = (Type: string, TypeCode: number) => ({
    RecordType: 'Bounce',
    MessageStream: 'outbound',
    ID: 4323372036854775807,
    Type,
    TypeCode,
    Name: Type,
    Tag: '',
    MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
    Metadata: { tarmoOutboxId: '42' },
    ServerID: 23,
    Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
    Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
    Email: 'Jane@Example.test',
    From: 'no-reply@tarmo.test',
    BouncedAt: '2026-12-07T10:00:00.000Z',
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: 'Hello',
  });

  it('reads hard and soft bounces, with the outbox id from the metadata', () => {
    const [hard] = eventsOf(parseNotification('postmark', bounce('HardBounce', 1)));
    expect(hard).toMatchObject({ kind: 'hard-bounce', address: 'jane@example.test', outboxId: 42 });
    expect(hard!.detail).toMatch(/^HardBounce: The server was unable/);
    expect(eventsOf(parseNotification('postmark', bounce('SoftBounce', 4096)))[0]!.kind).toBe('soft-bounce');
    expect(eventsOf(parseNotification('postmark', bounce('Transient', 2)))[0]!.kind).toBe('soft-bounce');
    expect(eventsOf(parseNotification('postmark', bounce('BadEmailAddress', 100000)))[0]!.kind).toBe(
      'hard-bounce',
    );
  });

  it('reads Tarmo’s Message-ID from the metadata its X-PM-Metadata header sent along', () => {
    const [event] = eventsOf(
      parseNotification('postmark', {
        ...bounce('HardBounce', 1),
        Metadata: { 'Tarmo-Message-Id': '0123456789ABCDEF0123456789abcdef' },
      }),
    );
    expect(event!.messageId).toBe('<0123456789abcdef0123456789abcdef@tarmo>');
    const [junk] = eventsOf(
      parseNotification('postmark', { ...bounce('HardBounce', 1), Metadata: { 'tarmo-message-id': 'x@y' } }),
    );
    expect(junk!.messageId).toBeUndefined();
  });

  it('reads a spam complaint, and ignores bounce types that say nothing about the address', () => {
    const [complaint] = eventsOf(
      parseNotification('postmark', {
        ...bounce('SpamComplaint', 512),
        RecordType: 'SpamComplaint',
        Metadata: {},
        Description: 'The subscriber explicitly marked this message as spam.',
        Details: '',
      }),
    );
    expect(complaint).toEqual({
      kind: 'complaint',
      address: 'jane@example.test',
      detail: 'SpamComplaint: The subscriber explicitly marked this message as spam.',
    });
    expect(parseNotification('postmark', bounce('AutoResponder', 32))).toEqual({
      ok: true,
      value: { kind: 'ignored', reason: 'Postmark Bounce AutoResponder' },
    });
  });
});

describe('RFC 3464 delivery status', () => {
  it('reads every recipient block: failed 5.x.x hard, failed 4.x.x or delayed soft, delivered nothing', () => {
    const status = [
      'Reporting-MTA: dns; mx.example.test',
      'Arrival-Date: Mon, 7 Dec 2026 05:00:00 +0000',
      '',
      'Original-Recipient: rfc822;gone@example.test',
      'Final-Recipient: rfc822; <Gone@Example.test>',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <gone@example.test>:',
      '  Recipient address rejected: User unknown',
      '',
      'Final-Recipient: rfc822; full@example.test',
      'Action: failed',
      'Status: 4.2.2',
      '',
      'Final-Recipient: rfc822; slow@example.test',
      'Action: delayed',
      'Status: 4.4.1',
      '',
      'Final-Recipient: rfc822; fine@example.test',
      'Action: delivered',
      'Status: 2.0.0',
      '',
    ].join('\r\n');
    const events = parseReport([
      { contentType: 'message/delivery-status', content: status },
      { contentType: 'text/rfc822-headers', content: 'Message-ID:\r\n <a1@tarmo>\r\nSubject: Hi\r\n' },
    ]);
    expect(events).toEqual([
      {
        kind: 'hard-bounce',
        address: 'gone@example.test',
        messageId: '<a1@tarmo>',
        detail: 'failed 5.1.1 smtp; 550 5.1.1 <gone@example.test>: Recipient address rejected: User unknown',
      },
      { kind: 'soft-bounce', address: 'full@example.test', messageId: '<a1@tarmo>', detail: 'failed 4.2.2' },
      { kind: 'soft-bounce', address: 'slow@example.test', messageId: '<a1@tarmo>', detail: 'delayed 4.4.1' },
    ]);
  });

  it('reads an RFC 5965 abuse report as a complaint about the original recipient', () => {
    const events = parseReport([
      {
        contentType: 'message/feedback-report',
        content:
          'Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\nOriginal-Rcpt-To: <Jane@Example.test>\r\n',
      },
      {
        contentType: 'message/rfc822',
        content:
          'From: shop@tarmo.test\r\nTo: Jane <jane@example.test>\r\nMessage-ID: <b2@tarmo>\r\n\r\nHello\r\n',
      },
    ]);
    expect(events).toEqual([
      {
        kind: 'complaint',
        address: 'jane@example.test',
        messageId: '<b2@tarmo>',
        detail: 'complaint (abuse)',
      },
    ]);
  });
});
