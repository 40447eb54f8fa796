import type { CustomerRow } from '@/db/store/customers';
import type { CustomerDto } from '@/lib/api/schemas';

export function toCustomerDto(row: CustomerRow): CustomerDto {
  return {
    id: row.id,
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    locale: row.locale,
    timeZone: row.timeZone,
    attributes: row.attributes,
    status: row.status,
    mergedIntoId: row.mergedIntoId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt ? row.updatedAt.toISOString() : null,
  };
}
