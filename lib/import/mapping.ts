import { z } from 'zod';

/** What a CSV column can feed. `attribute` stores the column under its header in attributes. */
export const IMPORT_TARGETS = [
  'ignore',
  'email',
  'externalId',
  'name',
  'locale',
  'timeZone',
  'attribute',
  'consent',
  'consentSource',
  'consentEvidence',
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

export const TARGET_LABELS: Record<ImportTarget, string> = {
  ignore: 'Ignore',
  email: 'Email',
  externalId: 'External id',
  name: 'Name',
  locale: 'Language (locale)',
  timeZone: 'Time zone',
  attribute: 'Attribute (keep under its header)',
  consent: 'Consent (yes / no)',
  consentSource: 'Consent source (where it was given)',
  consentEvidence: 'Consent evidence (e.g. form text, date)',
};

export const importMappingSchema = z.object({
  columns: z.record(z.string(), z.enum(IMPORT_TARGETS)),
  consentPurpose: z.string().min(1).optional(),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;

const SINGLE_TARGETS: ImportTarget[] = [
  'email',
  'externalId',
  'name',
  'locale',
  'timeZone',
  'consent',
  'consentSource',
  'consentEvidence',
];

export type MappingPlan = {
  index: Partial<Record<Exclude<ImportTarget, 'ignore' | 'attribute'>, number>>;
  attributes: { index: number; key: string }[];
  /** Consent is only imported when its source and evidence columns are mapped too. */
  consent: { purposeKey: string; index: number; sourceIndex: number; evidenceIndex: number } | null;
  warnings: string[];
};

/** Checks a mapping against the header row; returns the column positions to read. */
export function planMapping(
  header: string[],
  mapping: ImportMapping,
): { ok: true; plan: MappingPlan } | { ok: false; message: string } {
  const plan: MappingPlan = { index: {}, attributes: [], consent: null, warnings: [] };
  for (const [column, target] of Object.entries(mapping.columns)) {
    const index = header.indexOf(column);
    if (index < 0) return { ok: false, message: `The file has no column "${column}"` };
    if (target === 'ignore') continue;
    if (target === 'attribute') {
      plan.attributes.push({ index, key: column });
      continue;
    }
    if (SINGLE_TARGETS.includes(target) && plan.index[target] !== undefined) {
      return { ok: false, message: `Only one column can be ${TARGET_LABELS[target]}` };
    }
    plan.index[target] = index;
  }
  if (plan.index.email === undefined && plan.index.externalId === undefined) {
    return { ok: false, message: 'Map a column to Email or External id' };
  }
  const { consent, consentSource, consentEvidence } = plan.index;
  if (consent !== undefined) {
    if (!mapping.consentPurpose)
      return { ok: false, message: 'Choose the purpose the consent column is for' };
    if (consentSource === undefined || consentEvidence === undefined) {
      plan.warnings.push(
        'The consent column is ignored: consent is only imported with a source and an evidence column. Rows import without consent.',
      );
    } else {
      plan.consent = {
        purposeKey: mapping.consentPurpose,
        index: consent,
        sourceIndex: consentSource,
        evidenceIndex: consentEvidence,
      };
    }
  }
  return { ok: true, plan };
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'granted', 'grant', 'ja', 'opt-in', 'optin']);
const NO = new Set(['', 'no', 'n', 'false', '0', 'nein', 'not-asked']);

/** 'grant' for a clear yes, null for a clear no or empty, 'invalid' for anything else. */
export function parseConsentCell(value: string): 'grant' | null | 'invalid' {
  const normalised = value.trim().toLowerCase();
  if (YES.has(normalised)) return 'grant';
  if (NO.has(normalised)) return null;
  return 'invalid';
}
