import { sql, type SQL } from 'drizzle-orm';
import { getDb, queryAll, type Db } from '../client';
import { type ConsentState } from '@/lib/vocabulary';

/** The staff customer list with its consent, block, retention and waiting filters (one query, paged). */

export type CustomerListFilter = {
  q?: string;
  purposeId?: number;
  themeKey?: string;
  state?: ConsentState;
  blocked?: boolean;
  pastRetention?: boolean;
  waiting?: boolean;
  blockScope?: string;
  blockReason?: string;
  afterId?: number;
  limit: number;
  now: Date;
};

export type CustomerListRow = {
  id: number;
  email: string | null;
  name: string;
  status: string;
  consentState: ConsentState | null;
  consentUpdatedAt: number | null;
};

/** Keyset-paged customer list (newest first) with the consent state for the selected purpose/theme. */
export async function listCustomersFiltered(
  filter: CustomerListFilter,
  db: Db = getDb(),
): Promise<CustomerListRow[]> {
  const theme = filter.themeKey ?? '';
  const conditions: SQL[] = [];
  // Newest first; `afterId` continues below the last id of the previous page.
  if (filter.afterId) conditions.push(sql`c.id < ${filter.afterId}`);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    conditions.push(
      sql`(lower(c.email) like ${pattern} escape '\\' or lower(c.name) like ${pattern} escape '\\' or c.external_id = ${filter.q} or c.id = ${Number(filter.q) || -1})`,
    );
  }
  if (filter.purposeId !== undefined && filter.state) {
    conditions.push(
      filter.state === 'not-asked'
        ? sql`c.status = 'active' and (cs.state is null or cs.state = 'not-asked')`
        : sql`cs.state = ${filter.state}`,
    );
  }
  if (filter.purposeId !== undefined && filter.pastRetention) {
    conditions.push(sql`cs.state is not null and cs.state <> 'granted'
      and cs.updated_at < ${filter.now.getTime()} - CAST((select retention_days from purposes where id = ${filter.purposeId}) AS BIGINT) * 86400000`);
  }
  if (filter.blocked || filter.blockScope || filter.blockReason) {
    const scope = filter.blockScope ? sql` and b.scope = ${filter.blockScope}` : sql``;
    const reason = filter.blockReason ? sql` and b.reason = ${filter.blockReason}` : sql``;
    const themeMatch =
      filter.blocked && theme ? sql` and (b.scope <> 'theme' or b.theme_key = ${theme})` : sql``;
    conditions.push(sql`exists (select 1 from contact_blocks b where b.lifted_at is null
      and (b.customer_id = c.id or (b.scope = 'address' and b.address = c.email))${scope}${reason}${themeMatch})`);
  }
  if (filter.waiting) {
    const waitKey =
      filter.purposeId !== undefined
        ? sql` and w.wait_key = 'consent:' || (select key from purposes where id = ${filter.purposeId})`
        : sql` and w.wait_key like 'consent:%'`;
    conditions.push(sql`exists (select 1 from enrollments w where w.customer_id = c.id and w.state = 'waiting' and w.test_mode = 0${waitKey}
      and not exists (select 1 from consent_state x join purposes xp on xp.id = x.purpose_id
        where x.customer_id = c.id and xp.key = substr(w.wait_key, 9) and x.theme_key = '' and x.state <> 'not-asked'))`);
  }
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const withPurpose = filter.purposeId !== undefined;
  const join = withPurpose
    ? sql`left join consent_state cs on cs.customer_id = c.id and cs.purpose_id = ${filter.purposeId} and cs.theme_key = ${theme}`
    : sql``;
  const stateColumns = withPurpose
    ? sql`cs.state as "consentState", cs.updated_at as "consentUpdatedAt"`
    : sql`null as "consentState", null as "consentUpdatedAt"`;
  return await queryAll<CustomerListRow>(
    db,
    sql`
    select c.id as id, c.email as email, c.name as name, c.status as status, ${stateColumns}
    from customers c ${join} ${where}
    order by c.id desc limit ${filter.limit}`,
  );
}

// ---------------------------------------------------------------- exports
