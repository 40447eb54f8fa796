import { localizedText } from '@/lib/mail/i18n/named-text';
import type { Db } from '@/db/client';
import { blocksOf } from '@/db/store/blocks';
import {
  consentHistoryOf,
  currentNotice,
  listPurposes,
  readConsentState,
  themesOfPurposes,
} from '@/db/store/consent';
import { customerById } from '@/db/store/privacy-customers';
import { type ConsentState } from '@/lib/vocabulary';
import { pickLocale } from '@/lib/mail/i18n';
import { liftContactBlock, setContactBlock } from './blocks';
import { truncateIp } from './crypto';
import { recordConsentEvent } from './ledger';
import { linkGone, lookupLink, type LinkResult } from './links';
import { ok } from '@/lib/result';
import { completeRequest, createPrivacyRequest } from './requests';
import type { ClientInfo } from './unsubscribe';

export type PreferencesView = {
  locale: string;
  customerId: number;
  purposes: {
    key: string;
    name: string;
    description: string;
    notice: string;
    noticeVersion: number | null;
    retentionDays: number;
    state: ConsentState;
    themes: { key: string; name: string; description: string; state: ConsentState }[];
  }[];
  emailOn: boolean;
  history: { at: Date; purpose: string; theme: string; action: string; source: string }[];
};

async function findCustomer(db: Db, raw: string) {
  // The unsubscribe link in each mail also opens the preference center ("manage preferences").
  const found = await lookupLink(db, raw, ['preferences', 'unsubscribe'], { allowUsed: true });
  if (!found.ok) return found;
  const customer = found.value.customerId ? await customerById(db, found.value.customerId) : undefined;
  if (!customer || customer.status !== 'active') return linkGone();
  return ok(customer);
}

const customerBlocks = async (db: Db, customerId: number) =>
  (await blocksOf(db, customerId)).filter(
    (b) => !b.liftedAt && b.scope === 'channel' && b.channel === 'email',
  );

/** `acceptLanguage`: the browser's wish, used when we do not speak the person's stored language. */
export async function describePreferences(
  db: Db,
  raw: string,
  acceptLanguage: string | null = null,
): Promise<LinkResult<PreferencesView>> {
  const found = await findCustomer(db, raw);
  if (!found.ok) return found;
  const customer = found.value;
  const locale = pickLocale(customer.locale, acceptLanguage);
  const purposes = (await listPurposes(db)).filter((p) => p.legalBasis === 'consent' && !p.archivedAt);
  const themes = await themesOfPurposes(
    db,
    purposes.map((p) => p.id),
  );
  const names = new Map((await listPurposes(db)).map((p) => [p.key, localizedText(p, locale).name]));
  const stateOf = async (purposeId: number, themeKey: string) =>
    (await readConsentState(db, customer.id, purposeId, themeKey))?.state ?? 'not-asked';
  // One query at a time: db may be a transaction, i.e. one connection.
  const purposeViews = [];
  for (const p of purposes) {
    const notice = await currentNotice(db, p.id, locale);
    const themeViews = [];
    for (const t of themes.filter((theme) => theme.purposeId === p.id))
      themeViews.push({
        key: t.key,
        ...localizedText(t, locale),
        state: await stateOf(p.id, t.key),
      });
    purposeViews.push({
      key: p.key,
      ...localizedText(p, locale),
      notice: notice?.text ?? '',
      noticeVersion: notice?.version ?? null,
      retentionDays: p.retentionDays,
      state: await stateOf(p.id, ''),
      themes: themeViews,
    });
  }
  const themeNames = new Map(themes.map((t) => [`${t.purposeId}:${t.key}`, localizedText(t, locale).name]));
  return ok({
    locale,
    customerId: customer.id,
    purposes: purposeViews,
    emailOn: (await customerBlocks(db, customer.id)).length === 0,
    history: (await consentHistoryOf(db, customer.id)).map(({ event, purposeKey }) => ({
      at: event.occurredAt,
      purpose: names.get(purposeKey ?? '') ?? purposeKey ?? '',
      theme: event.themeKey ? (themeNames.get(`${event.purposeId}:${event.themeKey}`) ?? event.themeKey) : '',
      action: event.action,
      source: event.source,
    })),
  });
}

export type PreferenceChoices = { purposes: string[]; themes: string[]; email: boolean };

/**
 * Applies the boxes the person ticked. The link came to their mailbox, so a tick is their own
 * informed choice (recorded with the notice version shown); an untick withdraws.
 */
export async function savePreferences(
  db: Db,
  raw: string,
  choices: PreferenceChoices,
  client: ClientInfo,
  now = new Date(),
): Promise<LinkResult<PreferencesView>> {
  const described = await describePreferences(db, raw);
  if (!described.ok) return described;
  const view = described.value;
  const purposes = await listPurposes(db);
  const evidence = {
    method: 'preference-center',
    at: now.toISOString(),
    ip: truncateIp(client.ip),
    userAgent: (client.userAgent ?? '').slice(0, 300),
  };
  for (const p of view.purposes) {
    const purpose = purposes.find((x) => x.key === p.key);
    if (!purpose) continue;
    const notice = await currentNotice(db, purpose.id, view.locale);
    const wantPurpose = choices.purposes.includes(p.key);
    const apply = async (themeKey: string, current: ConsentState, want: boolean) => {
      if (want && current !== 'granted') {
        await recordConsentEvent(db, {
          customerId: view.customerId,
          purposeId: purpose.id,
          themeKey,
          action: 'grant',
          source: 'form',
          noticeHash: notice?.textHash,
          evidence: { ...evidence, noticeVersion: notice?.version ?? null },
          occurredAt: now,
        });
      } else if (!want && (current === 'granted' || current === 'pending')) {
        await recordConsentEvent(db, {
          customerId: view.customerId,
          purposeId: purpose.id,
          themeKey,
          action: 'withdraw',
          source: 'form',
          evidence,
          occurredAt: now,
        });
      }
    };
    await apply('', p.state, wantPurpose);
    for (const t of p.themes)
      await apply(t.key, t.state, wantPurpose && choices.themes.includes(`${p.key}:${t.key}`));
  }
  const emailBlocks = await customerBlocks(db, view.customerId);
  if (!choices.email && emailBlocks.length === 0) {
    await setContactBlock(db, {
      customerId: view.customerId,
      scope: 'channel',
      channel: 'email',
      reason: 'customer-request',
      evidence: 'Switched off email in the preference center',
      setBy: 'customer',
      now,
    });
  } else if (choices.email) {
    // Only the person's own switch is undone here; blocks staff set for a complaint or legal reason stay.
    for (const b of emailBlocks.filter((b) => b.setBy === 'customer'))
      await liftContactBlock(db, b.id, {
        liftedBy: 'customer',
        reason: 'Switched email back on in the preference center',
        now,
      });
  }
  return await describePreferences(db, raw);
}

/** Access request from the preference center: identity is proven by the mailed link, so it is fulfilled at once. */
export async function requestExportFromPreferences(
  db: Db,
  raw: string,
  now = new Date(),
): Promise<LinkResult<{ locale: string }>> {
  const found = await findCustomer(db, raw);
  if (!found.ok) return found;
  const { request } = await createPrivacyRequest(db, {
    customerId: found.value.id,
    kind: 'access',
    source: 'preference-center',
    verified: true,
    actor: { type: 'customer' },
    now,
  });
  await completeRequest(db, request.id, {
    actor: { type: 'system', id: 'preference-center' },
    note: 'fulfilled automatically',
    now,
  });
  return ok({ locale: found.value.locale });
}

/** Erasure request from the preference center: goes to the compliance queue (due in one month). */
export async function requestErasureFromPreferences(
  db: Db,
  raw: string,
  now = new Date(),
): Promise<LinkResult<{ locale: string }>> {
  const found = await findCustomer(db, raw);
  if (!found.ok) return found;
  await createPrivacyRequest(db, {
    customerId: found.value.id,
    kind: 'erasure',
    source: 'preference-center',
    verified: true,
    actor: { type: 'customer' },
    now,
  });
  return ok({ locale: found.value.locale });
}
