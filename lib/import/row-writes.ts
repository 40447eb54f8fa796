import type { Db } from '@/db/client';
import { insertCustomersSkippingConflicts } from '@/db/store/customers';
import { withSavepoint } from '@/db/store/imports';
import { upsertCustomerIn } from '@/lib/customers/upsert';
import { currentConsent } from '@/lib/privacy/contact-check';
import { recordConsentEvent } from '@/lib/privacy/ledger';
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
 * Rows with identities nobody holds, as far as the caller knows: one set-based insert (in a
 * savepoint), then their consent grants through the ledger. A row the insert left out (a profile
 * with its identity exists), and every row when the statement itself fails, goes through the
 * per-row upsert; `upserted` counts them.
 */
export async function importNewRows(
  db: Db,
  rows: ParsedRow[],
  actor: { type: 'user' | 'system'; id: number | null },
  purpose: { id: number; key: string } | undefined,
  jobId: number,
): Promise<{ outcomes: [ParsedRow, RowOutcome][]; upserted: number }> {
  let ids: (number | undefined)[];
  try {
    ids = await withSavepoint(db, async () =>
      insertCustomersSkippingConflicts(
        db,
        rows.map((row) => {
          const value = row.input as Parameters<typeof upsertCustomerIn>[1];
          return {
            externalId: value.externalId ?? null,
            email: row.email ?? null,
            name: value.name,
            locale: value.locale,
            timeZone: value.timeZone,
            attributes: value.attributes ?? {},
          };
        }),
      ),
    );
  } catch {
    ids = [];
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
    if (!row.consent || !purpose) {
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
  return { outcomes, upserted };
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
    evidence: {
      source: row.consent!.source,
      evidence: row.consent!.evidence,
      importJobId: jobId,
      row: row.row,
    },
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
