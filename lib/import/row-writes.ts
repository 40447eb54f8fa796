import type { Db } from '@/db/client';
import { insertCustomersSkippingConflicts } from '@/db/store/customers';
import { withSavepoint } from '@/db/store/imports';
import { upsertCustomerIn } from '@/lib/customers/upsert';
import { currentConsent } from '@/lib/privacy/contact-check';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { recordNewCustomerGrants } from '@/lib/privacy/new-customer-grants';
import type { ParsedRow } from './parse-row';

/** The import's writes of parsed rows, inside the slice's transaction (lib/import/run). */

/** The keys a profile's identity holds: its external id and its address (lower-cased). */
export function identityKeys(
  externalId: string | null | undefined,
  email: string | null | undefined,
): string[] {
  const keys: string[] = [];
  if (externalId) keys.push(`x:${externalId}`);
  if (email) keys.push(`e:${email.toLowerCase()}`);
  return keys;
}

export type RowOutcome =
  { ok: true; warning?: { field: string; message: string } } | { ok: false; field: string; message: string };
const IMPORTED: RowOutcome = { ok: true };

/**
 * A set-based write of importNewRows that failed and was done row by row instead: the import is
 * still correct, only slower, and the job says so (without any row's data).
 */
export type ImportFallback = { write: 'customers' | 'consent'; rows: number; reason: string };

/**
 * Rows with identities nobody holds, as far as the caller knows: one set-based insert (in a
 * savepoint), then their consent grants as one batch of ledger appends (recordNewCustomerGrants,
 * in a savepoint). A row the insert left out (a profile with its identity exists), and every row
 * when the statement itself fails, goes through the per-row upsert; `upserted` counts them. When
 * the batch of grants cannot be written, each grant is recorded on its own, as for an upsert.
 */
export async function importNewRows(
  db: Db,
  rows: ParsedRow[],
  actor: { type: 'user' | 'system'; id: number | null },
  purpose: { id: number; key: string } | undefined,
  jobId: number,
): Promise<{ outcomes: [ParsedRow, RowOutcome][]; upserted: number; fallbacks: ImportFallback[] }> {
  const fallbacks: ImportFallback[] = [];
  let ids: (number | undefined)[];
  try {
    ids = await withSavepoint(
      db,
      async () => await insertCustomersSkippingConflicts(db, rows.map(newCustomerOf)),
    );
  } catch (error) {
    ids = [];
    fallbacks.push({ write: 'customers', rows: rows.length, reason: failureReason(error) });
  }
  const granted = new Set<ParsedRow>();
  if (purpose) {
    const grants = rows.flatMap((row, index) => {
      const customerId = ids[index];
      return customerId !== undefined && row.consent ? [{ row, customerId }] : [];
    });
    const batch = await grantNewCustomersConsent(db, grants, purpose.id, jobId);
    if (batch.ok) for (const { row } of grants) granted.add(row);
    else fallbacks.push({ write: 'consent', rows: grants.length, reason: batch.reason });
  }
  const outcomes: [ParsedRow, RowOutcome][] = [];
  let upserted = 0;
  for (const [index, row] of rows.entries()) {
    const id = ids[index];
    if (id === undefined) {
      upserted++;
      outcomes.push([row, await importOneRow(db, row, actor, purpose, jobId)]);
      continue;
    }
    if (!row.consent || !purpose || granted.has(row)) {
      outcomes.push([row, IMPORTED]);
      continue;
    }
    // A new profile has no consent yet, so the grant with its evidence is the stricter truth.
    try {
      await withSavepoint(db, async () => await grantImportedConsent(db, id, purpose.id, row, jobId));
      outcomes.push([row, { ok: true }]);
    } catch (error) {
      outcomes.push([
        row,
        {
          ok: false,
          field: 'consent',
          message: `consent: not recorded (${error instanceof Error ? error.message.slice(0, 200) : 'error'}); the customer was imported without it`,
        },
      ]);
    }
  }
  return { outcomes, upserted, fallbacks };
}

function newCustomerOf(row: ParsedRow) {
  const value = row.input as Parameters<typeof upsertCustomerIn>[1];
  return {
    externalId: value.externalId ?? null,
    email: row.email ?? null,
    name: value.name,
    locale: value.locale,
    timeZone: value.timeZone,
    attributes: value.attributes ?? {},
  };
}

/**
 * The grants of customers this transaction created, as one batch in a savepoint: all of them or
 * none (then the answer says why, and the caller grants row by row).
 */
async function grantNewCustomersConsent(
  db: Db,
  grants: { row: ParsedRow; customerId: number }[],
  purposeId: number,
  jobId: number,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (grants.length === 0) return { ok: true };
  try {
    const recorded = await withSavepoint(
      db,
      async () =>
        await recordNewCustomerGrants(db, {
          purposeId,
          source: 'import',
          grants: grants.map(({ row, customerId }) => ({ customerId, evidence: importEvidence(row, jobId) })),
        }),
    );
    return recorded.ok ? { ok: true } : { ok: false, reason: recorded.reason };
  } catch (error) {
    return { ok: false, reason: failureReason(error) };
  }
}

/** What a failed set-based write reports: the error's kind and code, never the rows it held. */
function failureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const name = error instanceof Error ? error.name : 'error';
  return typeof code === 'string' ? `${name} ${code}` : name;
}

/** The evidence of an imported grant: the file's source and evidence cells, the job and the row. */
function importEvidence(row: ParsedRow, jobId: number): Record<string, unknown> {
  return { source: row.consent!.source, evidence: row.consent!.evidence, importJobId: jobId, row: row.row };
}

async function grantImportedConsent(
  db: Db,
  customerId: number,
  purposeId: number,
  row: ParsedRow,
  jobId: number,
): Promise<void> {
  await recordConsentEvent(db, {
    customerId,
    purposeId,
    action: 'grant',
    source: 'import',
    evidence: importEvidence(row, jobId),
  });
}

export async function importOneRow(
  db: Db,
  row: ParsedRow,
  actor: { type: 'user' | 'system'; id: number | null },
  purpose: { id: number; key: string } | undefined,
  jobId: number,
): Promise<RowOutcome> {
  try {
    return await withSavepoint(db, async () => {
      const result = await upsertCustomerIn(db, row.input as Parameters<typeof upsertCustomerIn>[1], actor, {
        audit: false,
        tombstoneChecked: true,
      });
      if (!result.ok) {
        const { code, message, field } = result.error;
        return { ok: false as const, field: field ?? 'row', message: `${code}: ${message}` };
      }
      if (!row.consent || !purpose) return { ok: true as const };
      const current = (await currentConsent(db, result.value.customer.id, purpose.id, '')).state;
      // An old spreadsheet must never overturn a withdrawal or objection made since.
      if (current === 'withdrawn' || current === 'objected') {
        return {
          ok: true as const,
          warning: { field: 'consent', message: `consent: kept the customer's ${current} state` },
        };
      }
      if (current === 'granted') return { ok: true as const };
      await grantImportedConsent(db, result.value.customer.id, purpose.id, row, jobId);
      return { ok: true as const };
    });
  } catch (error) {
    return {
      ok: false,
      field: 'row',
      message: error instanceof Error ? error.message.slice(0, 200) : 'could not import',
    };
  }
}
