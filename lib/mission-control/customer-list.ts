import { listCustomersFiltered, type CustomerListRow } from '@/db/store/customer-list';
import { listPurposeInfo, type PurposeInfo } from '@/db/store/dashboard';
import type { CustomerListParams } from './filters';

export const CUSTOMER_PAGE_SIZE = 50;

export type CustomerListResult = {
  rows: CustomerListRow[];
  nextAfter: number | null;
  purposes: PurposeInfo[];
  /** The purpose key in the URL did not match any purpose. */
  unknownPurpose: boolean;
};

/** The drill-down list behind every Mission Control number. */
export async function listCustomersForStaff(
  params: CustomerListParams,
  now = new Date(),
): Promise<CustomerListResult> {
  const purposes = await listPurposeInfo();
  const purpose = params.purpose ? purposes.find((p) => p.key === params.purpose) : undefined;
  if (params.purpose && !purpose) return { rows: [], nextAfter: null, purposes, unknownPurpose: true };
  const rows = await listCustomersFiltered({
    q: params.q,
    purposeId: purpose?.id,
    themeKey: purpose ? params.theme : undefined,
    state: params.state,
    blocked: params.blocked,
    pastRetention: params.retention === 'past',
    waiting: params.waiting,
    blockScope: params.scope,
    blockReason: params.reason,
    afterId: params.after,
    limit: CUSTOMER_PAGE_SIZE + 1,
    now,
  });
  const more = rows.length > CUSTOMER_PAGE_SIZE;
  const page = more ? rows.slice(0, CUSTOMER_PAGE_SIZE) : rows;
  return { rows: page, nextAfter: more ? page[page.length - 1]!.id : null, purposes, unknownPurpose: false };
}
