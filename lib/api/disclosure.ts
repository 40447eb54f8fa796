import type { ApiScope } from '@/lib/vocabulary';
import type { CustomerDto } from './schemas';

/**
 * What an API answer may reveal depends on the key's scopes, not on the route: a key without
 * `read` may write (upsert, patch, record consent) but never receives profile data back, only
 * ids and status. Otherwise a write-only key could read any profile by "updating" it.
 */
export function mayReadProfiles(scopes: readonly ApiScope[]): boolean {
  return scopes.includes('read');
}

export type CustomerReceipt = { id: number; status: CustomerDto['status'] };

export function customerAnswer(dto: CustomerDto, scopes: readonly ApiScope[]): CustomerDto | CustomerReceipt {
  return mayReadProfiles(scopes) ? dto : { id: dto.id, status: dto.status };
}

export function consentAnswer<T>(
  consents: T,
  customerId: number,
  scopes: readonly ApiScope[],
): T | { customerId: number; status: 'recorded' } {
  return mayReadProfiles(scopes) ? consents : { customerId, status: 'recorded' };
}
