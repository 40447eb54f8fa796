import type { Db } from '@/db/client';
import { blocksOf } from '@/db/store/blocks';
import { consentHistoryOf, consentStatesOf, listPurposes, themesOfPurposes } from '@/db/store/consent';
import { messagesOf } from '@/db/store/privacy-outbox';
import { customerById } from '@/db/store/privacy-customers';
import { enrollmentsOf, stepEventsOf } from '@/db/store/privacy-package';
import { receiptsOf } from '@/db/store/receipts';
import { receiptPayloadOf, receiptUrl, JWKS_PATH } from './receipts';
import { appEnv } from '@/lib/config/env';

/** The customer's data package (Art. 15 and 20): everything Tarmo holds and why. */
export type DataPackage = {
  generatedAt: string;
  profile: {
    id: number;
    externalId: string | null;
    email: string | null;
    name: string;
    locale: string;
    timeZone: string;
    status: string;
    attributes: Record<string, unknown>;
    createdAt: string;
  };
  consents: {
    current: {
      purpose: string;
      theme: string | null;
      state: string;
      since: string;
      noticeHash: string | null;
    }[];
    history: {
      eventId: number;
      purpose: string;
      theme: string | null;
      action: string;
      state: string;
      source: string;
      at: string;
      noticeHash: string | null;
      evidence: Record<string, unknown> | null;
      evidenceRedacted: boolean;
    }[];
  };
  /** Signed consent receipts (compact JWS; verify with the keys at `keys`). */
  receipts: {
    keys: string;
    items: {
      url: string;
      eventId: number;
      action: string;
      purpose: string;
      theme: string | null;
      at: string;
      jws: string;
    }[];
  };
  blocks: {
    id: number;
    scope: string;
    channel: string | null;
    theme: string | null;
    reason: string;
    setAt: string;
    liftedAt: string | null;
  }[];
  journeys: {
    enrollments: { journey: string; state: string; enteredAt: string; endedAt: string | null }[];
    decisions: { journey: string; step: string; outcome: string; reason: string; at: string }[];
  };
  messages: {
    category: string;
    purpose: string | null;
    theme: string | null;
    subject: string | null;
    status: string;
    createdAt: string;
    sentAt: string | null;
  }[];
  purposes: {
    key: string;
    name: string;
    description: string;
    legalBasis: string;
    retentionDays: number;
    retentionDuty: string | null;
    recipients: { key: string; name: string; description?: string }[];
    themes: string[];
  }[];
  recipients: { key: string; name: string; purpose: string }[];
  retention: { purpose: string; days: number; duty: string | null }[];
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Compiles the package synchronously (inside the caller's transaction, so it is one consistent snapshot). */
export async function compileDataPackage(db: Db, customerId: number, now = new Date()): Promise<DataPackage> {
  const customer = await customerById(db, customerId);
  if (!customer) throw new Error(`compileDataPackage: unknown customer ${customerId}`);
  const purposes = await listPurposes(db);
  const purposeKey = new Map(purposes.map((p) => [p.id, p.key]));
  const themes = await themesOfPurposes(
    db,
    purposes.map((p) => p.id),
  );

  return {
    generatedAt: now.toISOString(),
    profile: {
      id: customer.id,
      externalId: customer.externalId,
      email: customer.email,
      name: customer.name,
      locale: customer.locale,
      timeZone: customer.timeZone,
      status: customer.status,
      attributes: customer.attributes,
      createdAt: customer.createdAt.toISOString(),
    },
    consents: {
      current: (await consentStatesOf(db, customerId)).map((s) => ({
        purpose: purposeKey.get(s.purposeId) ?? String(s.purposeId),
        theme: s.themeKey || null,
        state: s.state,
        since: s.updatedAt.toISOString(),
        noticeHash: s.noticeHash,
      })),
      history: (await consentHistoryOf(db, customerId)).map(({ event, evidence, purposeKey: key }) => ({
        eventId: event.id,
        purpose: key ?? String(event.purposeId),
        theme: event.themeKey || null,
        action: event.action,
        state: event.stateAfter,
        source: event.source,
        at: event.occurredAt.toISOString(),
        noticeHash: event.noticeHash,
        evidence: evidence?.details ?? null,
        evidenceRedacted: !!evidence?.redactedAt,
      })),
    },
    receipts: {
      keys: `${appEnv().appUrl}${JWKS_PATH}`,
      items: (await receiptsOf(db, customerId)).map((r) => {
        const payload = receiptPayloadOf(r.token);
        return {
          url: receiptUrl(r.receiptId),
          eventId: r.eventId,
          action: payload.event.action,
          purpose: payload.purpose.key,
          theme: payload.themes[0]?.key ?? null,
          at: payload.event.time,
          jws: r.token,
        };
      }),
    },
    blocks: (await blocksOf(db, customerId)).map((b) => ({
      id: b.id,
      scope: b.scope,
      channel: b.channel,
      theme: b.themeKey,
      reason: b.reason,
      setAt: b.setAt.toISOString(),
      liftedAt: iso(b.liftedAt),
    })),
    journeys: {
      enrollments: (await enrollmentsOf(db, customerId)).map((e) => ({
        journey: e.journeyName ?? `#${e.journeyId}`,
        state: e.state,
        enteredAt: e.enteredAt.toISOString(),
        endedAt: iso(e.endedAt),
      })),
      decisions: (await stepEventsOf(db, customerId)).map((s) => ({
        journey: s.journeyName ?? `#${s.journeyId}`,
        step: s.stepType,
        outcome: s.outcome,
        reason: s.reason,
        at: s.at.toISOString(),
      })),
    },
    messages: (await messagesOf(db, customerId)).map((m) => ({
      category: m.category,
      purpose: m.purposeId ? (purposeKey.get(m.purposeId) ?? null) : null,
      theme: m.themeKey,
      subject: m.subject,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      sentAt: iso(m.sentAt),
    })),
    purposes: purposes.map((p) => ({
      key: p.key,
      name: p.name,
      description: p.description,
      legalBasis: p.legalBasis,
      retentionDays: p.retentionDays,
      retentionDuty: p.retentionDuty,
      recipients: p.recipients,
      themes: themes.filter((t) => t.purposeId === p.id).map((t) => t.key),
    })),
    recipients: purposes.flatMap((p) =>
      p.recipients.map((r) => ({ key: r.key, name: r.name, purpose: p.key })),
    ),
    retention: purposes.map((p) => ({ purpose: p.key, days: p.retentionDays, duty: p.retentionDuty })),
  };
}
