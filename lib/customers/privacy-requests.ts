import { getDb, writeTransaction } from '@/db/client';
import { findCustomer } from '@/db/store/customers';
import { privacyRequestById, type PrivacyRequestRow } from '@/db/store/privacy-requests';
import type { PrivacyRequestInput } from '@/lib/api/schemas';
import { createPrivacyRequest } from '@/lib/privacy/requests';
import type { Actor } from './merge';
import { err, ok, type Failure, type Result } from '@/lib/result';

export type PrivacyRequestDto = {
  id: number;
  customerId: number | null;
  kind: PrivacyRequestRow['kind'];
  status: PrivacyRequestRow['status'];
  receivedAt: string;
  dueAt: string;
  completedAt: string | null;
};

export function toPrivacyRequestDto(row: PrivacyRequestRow): PrivacyRequestDto {
  return {
    id: row.id,
    customerId: row.customerId,
    kind: row.kind,
    status: row.status,
    receivedAt: row.receivedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
  };
}

/**
 * A data-subject request relayed by a connected system. A key cannot prove who the person is,
 * so the privacy module mails a verification link to the address on file before acting.
 */
export async function openApiPrivacyRequest(
  input: PrivacyRequestInput,
  actor: Actor,
): Promise<Result<{ request: PrivacyRequestDto }, Failure<'unknown_customer'>>> {
  return await writeTransaction(async (db) => {
    if (input.customerId !== undefined && !(await findCustomer(db, input.customerId))) {
      return err('unknown_customer', 'customerId: no such customer', { field: 'customerId' });
    }
    const { request } = await createPrivacyRequest(db, {
      customerId: input.customerId ?? null,
      email: input.email ?? null,
      kind: input.kind,
      source: 'api',
      details: input.details,
      actor,
    });
    return ok({ request: toPrivacyRequestDto(request) });
  });
}

export async function getPrivacyRequest(id: number): Promise<PrivacyRequestDto | null> {
  const row = await privacyRequestById(getDb(), id);
  return row ? toPrivacyRequestDto(row) : null;
}
