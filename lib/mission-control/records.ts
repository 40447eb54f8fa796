import type { PurposeInfo } from '@/db/store/dashboard';
import { dataUseByPurpose, describeRead, readKey, type DataRead, type JourneyDraft } from '@/lib/journey';
import { TABLE_LIFECYCLE } from '@/lib/lifecycle/registry';
import type { JourneyStatus } from '@/lib/vocabulary';

/**
 * The Art. 30 record of processing activities, built from what the journeys do (pure: the caller
 * loads, lib/mission-control/exports.ts). One row per active purpose: the journeys acting for it,
 * the personal data they read for it, its recipients (named third parties, webhook endpoints, the
 * mail provider as processor), retention, and the installation's technical measures.
 */

export const LEGAL_BASIS_LABELS: Record<string, string> = {
  consent: 'Consent — Art. 6(1)(a)',
  contract: 'Contract — Art. 6(1)(b)',
  'legal-obligation': 'Legal obligation — Art. 6(1)(c)',
  'vital-interests': 'Vital interests — Art. 6(1)(d)',
  'public-task': 'Public task — Art. 6(1)(e)',
  'legitimate-interests': 'Legitimate interests — Art. 6(1)(f)',
};

export type ProcessingRecord = {
  purposeKey: string;
  purpose: string;
  description: string;
  legalBasis: string;
  /** Journeys acting for the purpose: "Welcome (live v3)", "Offers (draft)". */
  journeys: string;
  /** The personal data they read for it; what only a draft reads is marked "(draft)". */
  dataCategories: string;
  recipients: string;
  retention: string;
  retentionDuty: string;
  themes: string;
  noticeVersion: string;
  technicalMeasures: string;
};

/** One graph of a journey: its live (or paused) version, or its draft. */
export type RecordJourney = {
  id: number;
  name: string;
  status: JourneyStatus;
  version: { kind: 'live'; number: number | null } | { kind: 'draft' };
  graph: JourneyDraft;
};

export type RecordWebhook = { name: string; url: string; events: string[] };

export type RecordInput = {
  purposes: PurposeInfo[];
  journeys: RecordJourney[];
  /** Active webhook subscriptions: they receive consent, block and erasure events (ids and states). */
  webhooks: RecordWebhook[];
  /** The SMTP host mail goes through; null when mail stays in the built-in outbox. */
  mailProvider: string | null;
  technicalMeasures: string[];
};

const READ_ORDER: Record<DataRead['kind'], number> = {
  field: 0,
  attribute: 1,
  event: 2,
  consent: 3,
  blocks: 4,
  'data-package': 5,
};

export function buildProcessingRecords(input: RecordInput): ProcessingRecord[] {
  const uses = input.journeys.map((journey) => ({ journey, uses: dataUseByPurpose(journey.graph) }));
  const retentionOf = new Map(input.purposes.map((p) => [p.key, p.retentionDays]));
  const measures = input.technicalMeasures.join('; ');
  return input.purposes.map((purpose) => {
    const journeys = new Map<number, string>();
    const reads = new Map<string, { read: DataRead; live: boolean }>();
    const usedRecipients = new Set<string>();
    let mails = false;
    let journeyRetention = 0;
    // Live versions first, so what a draft adds is the only thing marked as a draft.
    const ordered = [...uses].sort((a, b) => rank(a.journey) - rank(b.journey));
    for (const { journey, uses: journeyUses } of ordered) {
      const use = journeyUses.find((u) => u.purpose === purpose.key);
      if (!use) continue;
      const live = journey.version.kind === 'live';
      if (!journeys.has(journey.id)) journeys.set(journey.id, `${journey.name} (${versionLabel(journey)})`);
      for (const { read } of use.reads) {
        const key = readKey(read);
        if (!reads.has(key)) reads.set(key, { read, live });
      }
      for (const recipient of use.recipients) usedRecipients.add(recipient);
      mails ||= use.mails;
      if (live) {
        // As lib/executor/lifecycle purges it: the longest retention of the version's purposes.
        const days = journeyUses.map((u) => retentionOf.get(u.purpose) ?? 0);
        journeyRetention = Math.max(journeyRetention, ...days);
      }
    }
    const categories = [...reads.values()]
      .sort((a, b) => READ_ORDER[a.read.kind] - READ_ORDER[b.read.kind])
      .map(({ read, live }) => `${describeRead(read)}${live ? '' : ' (draft)'}`);
    const recipients = [
      ...purpose.recipients.map(
        (r) =>
          `${r.name}${usedRecipients.has(r.key) || usedRecipients.has(r.name) ? ' (transfer step)' : ''}`,
      ),
      ...input.webhooks.map(
        (hook) => `webhook “${hook.name}” (${hostOf(hook.url)}: ${hook.events.join(', ')})`,
      ),
      ...(mails && input.mailProvider ? [`mail provider ${input.mailProvider} (processor)`] : []),
    ];
    return {
      purposeKey: purpose.key,
      purpose: purpose.name,
      description: purpose.description,
      legalBasis: LEGAL_BASIS_LABELS[purpose.legalBasis] ?? purpose.legalBasis,
      journeys: [...journeys.values()].join('; '),
      dataCategories: categories.join('; '),
      recipients: recipients.length ? recipients.join('; ') : 'none (internal only)',
      retention: [
        `${purpose.retentionDays} days`,
        ...(journeyRetention > 0
          ? [`journey positions and history purged ${journeyRetention} days after the journey is archived`]
          : []),
        ...(mails ? [`sent mail: ${TABLE_LIFECYCLE.outbox!.retention}`] : []),
      ].join('; '),
      retentionDuty: purpose.retentionDuty ?? '',
      themes: purpose.themes.map((t) => t.name).join('; '),
      noticeVersion: purpose.noticeVersion === null ? '' : String(purpose.noticeVersion),
      technicalMeasures: measures,
    };
  });
}

function rank(journey: RecordJourney): number {
  return journey.version.kind === 'live' ? 0 : 1;
}

function versionLabel(journey: RecordJourney): string {
  if (journey.version.kind === 'draft') return 'draft';
  const state = journey.status === 'paused' ? 'paused' : 'live';
  return journey.version.number === null ? state : `${state} v${journey.version.number}`;
}

/** The endpoint's host only: a URL may carry a token in its path or query. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

/**
 * The installation's technical and organisational measures (Art. 32) as the record states them:
 * the ledger, the database and its erasure, and how mail travels. Reads the URLs' scheme and
 * settings only (never their credentials).
 */
export function technicalMeasures(env: { databaseUrl: string; smtpUrl?: string }): string[] {
  const measures = [
    'consent ledger append-only and hash-chained (HMAC-SHA256) with signed checkpoints, checked by npm run ledger:verify',
  ];
  if (/^postgres(ql)?:/.test(env.databaseUrl)) {
    const sslmode = searchParam(env.databaseUrl, 'sslmode');
    measures.push(
      sslmode && sslmode !== 'disable' && sslmode !== 'allow' && sslmode !== 'prefer'
        ? `PostgreSQL connection encrypted (TLS, sslmode=${sslmode})`
        : 'PostgreSQL connection without required TLS (sslmode not set to require)',
    );
  } else {
    measures.push(
      'SQLite file in an owner-only data directory with secure_delete (erased data is overwritten in the file)',
    );
  }
  measures.push('encryption at rest by the host (disk encryption), not by Tarmo');
  if (!env.smtpUrl) measures.push('mail stays in the built-in outbox (no mail provider)');
  else if (env.smtpUrl.startsWith('smtps:') || searchParam(env.smtpUrl, 'secure') === 'true')
    measures.push('mail sent over TLS (smtps)');
  else if (searchParam(env.smtpUrl, 'requireTLS') === 'true')
    measures.push('mail sent with STARTTLS required');
  else measures.push('mail sent with STARTTLS when the server offers it (not required)');
  return measures;
}

function searchParam(url: string, name: string): string | null {
  try {
    return new URL(url).searchParams.get(name);
  } catch {
    return null;
  }
}
