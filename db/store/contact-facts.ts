import type { Db } from '../client';
import { sqlAll, sqlGet } from '../client';
import { type ConsentState, type LegalBasis } from '@/lib/vocabulary';
import type { BlockReason, BlockScope } from './blocks';
import { jsonList } from '../sql-lists';

/**
 * What the contact check reads: the customer's status and address, the purpose, consent states,
 * notice versions and active blocks. Prepared raw statements: the check runs for every gate, send
 * and dispatch, and building drizzle queries cost several times the SQL (measured with
 * `npm run bench:executor`). The batch readers fetch the same facts for a whole claimed batch.
 */

export interface ContactCustomerFacts {
  id: number;
  status: 'active' | 'restricted' | 'erased';
  email: string | null;
}

export interface ContactPurposeFacts {
  id: number;
  key: string;
  name: string;
  legalBasis: LegalBasis;
  /** Sale or sharing / targeted advertising: covered by 'sale-sharing' blocks (Global Privacy Control). */
  honoursGpc: boolean;
}

export interface ConsentFacts {
  state: ConsentState;
  updatedAt?: Date;
  noticeHash?: string | null;
}

export interface ActiveBlockFacts {
  id: number;
  customerId: number | null;
  address: string | null;
  scope: BlockScope;
  channel: string | null;
  themeKey: string | null;
  reason: BlockReason;
}

export async function contactCustomer(db: Db, customerId: number): Promise<ContactCustomerFacts | undefined> {
  return (await sqlGet(db, 'SELECT id, status, email FROM customers WHERE id = ?', [customerId])) as
    ContactCustomerFacts | undefined;
}

/** Customers of a batch (ids as one JSON parameter, so one prepared statement serves any batch size). */
export async function contactCustomers(
  db: Db,
  customerIds: readonly number[],
): Promise<ContactCustomerFacts[]> {
  return (await sqlAll(db, `SELECT id, status, email FROM customers WHERE id IN ${jsonList(db)}`, [
    JSON.stringify(customerIds),
  ])) as ContactCustomerFacts[];
}

export async function contactPurpose(db: Db, key: string): Promise<ContactPurposeFacts | undefined> {
  const row = (await sqlGet(
    db,
    'SELECT id, key, name, legal_basis AS "legalBasis", honours_gpc AS "honoursGpc" FROM purposes WHERE key = ?',
    [key],
  )) as (Omit<ContactPurposeFacts, 'honoursGpc'> & { honoursGpc: number | boolean }) | undefined;
  // Stored as 0/1 in both dialects.
  return row ? { ...row, honoursGpc: Boolean(row.honoursGpc) } : undefined;
}

type ConsentRow = { state: ConsentState; updated_at: number; notice_hash: string | null };

function toConsentFacts(row: ConsentRow): ConsentFacts {
  return { state: row.state, updatedAt: new Date(row.updated_at), noticeHash: row.notice_hash };
}

/** The consent state of one customer for a purpose (theme '' = the purpose itself); undefined = never asked. */
export async function consentFacts(
  db: Db,
  customerId: number,
  purposeId: number,
  themeKey: string,
): Promise<ConsentFacts | undefined> {
  const row = (await sqlGet(
    db,
    'SELECT state, updated_at, notice_hash FROM consent_state WHERE customer_id = ? AND purpose_id = ? AND theme_key = ?',
    [customerId, purposeId, themeKey],
  )) as ConsentRow | undefined;
  return row ? toConsentFacts(row) : undefined;
}

/** Every consent state (all purposes and themes) of a batch of customers. */
export async function consentFactsOfCustomers(
  db: Db,
  customerIds: readonly number[],
): Promise<{ customerId: number; purposeId: number; themeKey: string; facts: ConsentFacts }[]> {
  const rows = (await sqlAll(
    db,
    `SELECT customer_id, purpose_id, theme_key, state, updated_at, notice_hash FROM consent_state
     WHERE customer_id IN ${jsonList(db)}`,
    [JSON.stringify(customerIds)],
  )) as (ConsentRow & {
    customer_id: number;
    purpose_id: number;
    theme_key: string;
  })[];
  return rows.map((row) => ({
    customerId: row.customer_id,
    purposeId: row.purpose_id,
    themeKey: row.theme_key,
    facts: toConsentFacts(row),
  }));
}

/** The newest notice version of a purpose published with "requires fresh consent". */
export async function latestReconsentVersion(db: Db, purposeId: number): Promise<number | undefined> {
  const row = (await sqlGet(
    db,
    'SELECT version FROM notices WHERE purpose_id = ? AND requires_reconsent = 1 ORDER BY version DESC LIMIT 1',
    [purposeId],
  )) as { version: number } | undefined;
  return row?.version;
}

/** The newest notice version of a purpose whose text has this hash (what a grant recorded). */
export async function noticeVersionOfHash(
  db: Db,
  purposeId: number,
  textHash: string,
): Promise<number | undefined> {
  const row = (await sqlGet(
    db,
    'SELECT version FROM notices WHERE purpose_id = ? AND text_hash = ? ORDER BY version DESC LIMIT 1',
    [purposeId, textHash],
  )) as { version: number } | undefined;
  return row?.version;
}

const BLOCK_COLUMNS =
  'id, customer_id AS "customerId", address, scope, channel, theme_key AS "themeKey", reason';

export interface BlockTarget {
  customerId: number;
  address: string | null;
  channel: string;
  themeKey?: string;
  /** The contact is for a purpose of sale or sharing / targeted advertising (honoursGpc). */
  saleSharing?: boolean;
}

/** Whether an active block covers this contact: the matching rule shared by the single and batch reads. */
export function blockCovers(block: ActiveBlockFacts, target: BlockTarget): boolean {
  switch (block.scope) {
    case 'all':
      return block.customerId === target.customerId;
    case 'channel':
      return block.customerId === target.customerId && block.channel === target.channel;
    case 'address':
      return target.address !== null && block.address === target.address;
    case 'theme':
      return (
        target.themeKey !== undefined &&
        block.customerId === target.customerId &&
        block.themeKey === target.themeKey
      );
    case 'sale-sharing':
      return target.saleSharing === true && block.customerId === target.customerId;
  }
}

/** The oldest active (not lifted) block matching any of the scopes that cover this contact. */
export async function activeBlockIn(db: Db, target: BlockTarget): Promise<ActiveBlockFacts | undefined> {
  return (await sqlGet(
    db,
    `SELECT ${BLOCK_COLUMNS} FROM contact_blocks WHERE lifted_at IS NULL AND (
       (customer_id = @customerId AND (scope = 'all' OR (scope = 'channel' AND channel = @channel) OR (scope = 'theme' AND theme_key = @themeKey)
         OR (scope = 'sale-sharing' AND @saleSharing = 1)))
       OR (scope = 'address' AND address = @address))
     ORDER BY id LIMIT 1`,
    {
      customerId: target.customerId,
      channel: target.channel,
      themeKey: target.themeKey ?? null,
      address: target.address,
      saleSharing: target.saleSharing ? 1 : 0,
    },
  )) as ActiveBlockFacts | undefined;
}

/** Every active block that could cover a batch of customers (by customer or by address), oldest first. */
export async function activeBlocksFor(
  db: Db,
  customerIds: readonly number[],
  addresses: readonly string[],
): Promise<ActiveBlockFacts[]> {
  return (await sqlAll(
    db,
    `SELECT ${BLOCK_COLUMNS} FROM contact_blocks WHERE lifted_at IS NULL AND (
       customer_id IN ${jsonList(db, '@customerIds')} OR address IN ${jsonList(db, '@addresses', 'text')})
     ORDER BY id`,
    {
      customerIds: JSON.stringify(customerIds),
      addresses: JSON.stringify(addresses),
    },
  )) as ActiveBlockFacts[];
}
