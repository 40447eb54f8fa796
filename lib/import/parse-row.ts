import { textProblem } from '@/lib/api/json-guard';
import { customerUpsertSchema } from '@/lib/api/schemas';
import { parseConsentCell, type MappingPlan } from './mapping';

/** What is wrong (or only worth a word) with a row of the file, for the import report. */
export type RowProblem = {
  row: number;
  field: string;
  message: string;
  kind: 'error' | 'skipped' | 'warning';
};

/** A row of the file as the upsert takes it, with its consent columns (when mapped). */
export type ParsedRow = {
  row: number;
  input: Record<string, unknown>;
  email?: string;
  consent: { source: string; evidence: string } | null;
};

/**
 * One CSV record through the mapping into a customer upsert, validated by the API's own schema,
 * so a row is accepted exactly when the API would accept it. A consent cell that cannot be used
 * is a warning (the row is imported without consent), never a failed row.
 */
export function parseRow(
  record: string[],
  row: number,
  plan: MappingPlan,
): { row: ParsedRow; consentWarning?: RowProblem } | { problem: RowProblem } {
  // A cell the database cannot store as sent (NUL, unpaired surrogates) fails its row by column,
  // like any other invalid value, instead of failing the whole batch's write.
  for (let index = 0; index < record.length; index++) {
    const problem = textProblem(record[index] ?? '');
    if (problem) {
      const field = `column ${index + 1}`;
      return { problem: { row, field, message: `${field}: ${problem}`, kind: 'error' } };
    }
  }
  const cell = (index: number | undefined) =>
    index === undefined ? undefined : (record[index] ?? '').trim() || undefined;
  // Only the cells that hold something (this runs for every row of the file: no intermediate copies).
  const clean: Record<string, unknown> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) clean[key] = value;
  };
  put('email', cell(plan.index.email));
  put('externalId', cell(plan.index.externalId));
  put('name', cell(plan.index.name));
  put('locale', cell(plan.index.locale));
  put('timeZone', cell(plan.index.timeZone));
  if (plan.attributes.length) {
    const attributes: Record<string, unknown> = {};
    for (const { index, key } of plan.attributes) {
      const value = cell(index);
      if (value !== undefined) attributes[key] = value;
    }
    clean.attributes = attributes;
  }
  // The same schema the API validates with: a row is accepted exactly when the API would accept it.
  const parsed = customerUpsertSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'row';
    return { problem: { row, field, message: `${field}: ${issue?.message ?? 'invalid'}`, kind: 'error' } };
  }
  let consent: ParsedRow['consent'] = null;
  let consentWarning: RowProblem | undefined;
  if (plan.consent) {
    const decision = parseConsentCell(record[plan.consent.index] ?? '');
    if (decision === 'invalid') {
      consentWarning = {
        row,
        field: 'consent',
        message: 'consent: not a yes/no value; imported without consent',
        kind: 'warning',
      };
    } else if (decision === 'grant') {
      const source = cell(plan.consent.sourceIndex);
      const evidence = cell(plan.consent.evidenceIndex);
      if (source && evidence) consent = { source, evidence };
      else
        consentWarning = {
          row,
          field: 'consent',
          message: 'consent: no source or evidence in this row; imported without consent',
          kind: 'warning',
        };
    }
  }
  return {
    row: { row, input: parsed.data, email: parsed.data.email?.toLowerCase(), consent },
    consentWarning,
  };
}
