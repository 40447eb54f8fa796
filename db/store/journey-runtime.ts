import { type ConsentState, type JourneyStatus } from '@/lib/vocabulary';
import { sqlAll, sqlGet, sqlRun, type Db } from '../client';
import { jsonList } from '../sql-lists';

/**
 * What the executor reads about journeys, customers, consents and events. Batch-shaped where
 * the engine works in batches; published versions are cached because they are immutable.
 */

/** A published version's row as stored; lib/versions parses and indexes its graph (db/ knows no step types). */
export async function findPublishedVersionRow(
  db: Db,
  versionId: number,
): Promise<{ id: number; journeyId: number; number: number | null; graph: string } | undefined> {
  const row = (await sqlGet(
    db,
    'SELECT id, journey_id, number, graph, is_draft FROM journey_versions WHERE id = ?',
    [versionId],
  )) as
    { id: number; journey_id: number; number: number | null; graph: string; is_draft: number } | undefined;
  if (!row || row.is_draft === 1) return undefined;
  return { id: row.id, journeyId: row.journey_id, number: row.number, graph: row.graph };
}

export interface JourneyRuntimeRow {
  id: number;
  name: string;
  status: JourneyStatus;
  liveVersionId: number | null;
  archivedAt: number | null;
  purgedAt: number | null;
}

type JourneyDbRow = {
  id: number;
  name: string;
  status: JourneyStatus;
  live_version_id: number | null;
  archived_at: number | null;
  purged_at: number | null;
};

function toJourney(row: JourneyDbRow): JourneyRuntimeRow {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    liveVersionId: row.live_version_id,
    archivedAt: row.archived_at,
    purgedAt: row.purged_at,
  };
}

const JOURNEY_COLUMNS = 'id, name, status, live_version_id, archived_at, purged_at';

export async function findJourneyRuntime(db: Db, journeyId: number): Promise<JourneyRuntimeRow | undefined> {
  const row = (await sqlGet(db, `SELECT ${JOURNEY_COLUMNS} FROM journeys WHERE id = ?`, [journeyId])) as
    JourneyDbRow | undefined;
  return row ? toJourney(row) : undefined;
}

/** Journeys that admit customers now (status live with a published version). */
export async function liveJourneys(db: Db): Promise<JourneyRuntimeRow[]> {
  const rows = (await sqlAll(
    db,
    `SELECT ${JOURNEY_COLUMNS} FROM journeys WHERE status = 'live' AND live_version_id IS NOT NULL`,
  )) as JourneyDbRow[];
  return rows.map(toJourney);
}

export async function setJourneyStatusIn(
  db: Db,
  journeyId: number,
  status: JourneyStatus,
  now: number,
  extra: { archivedAt?: number } = {},
): Promise<void> {
  await sqlRun(
    db,
    'UPDATE journeys SET status = ?, updated_at = ?, archived_at = COALESCE(?, archived_at) WHERE id = ?',
    [status, now, extra.archivedAt ?? null, journeyId],
  );
}

/** Archived → draft again (nobody is enrolled; publishing starts it anew). False when it was not archived. */
export async function unarchiveJourneyIn(db: Db, journeyId: number, now: number): Promise<boolean> {
  const rows = await sqlAll(
    db,
    "UPDATE journeys SET status = 'draft', archived_at = NULL, updated_at = ? WHERE id = ? AND status = 'archived' RETURNING id",
    [now, journeyId],
  );
  return rows.length === 1;
}

export async function markJourneyPurged(db: Db, journeyId: number, now: number): Promise<void> {
  await sqlRun(db, 'UPDATE journeys SET purged_at = ? WHERE id = ?', [now, journeyId]);
}

export async function archivedJourneysNotPurged(db: Db): Promise<JourneyRuntimeRow[]> {
  const rows = (await sqlAll(
    db,
    `SELECT ${JOURNEY_COLUMNS} FROM journeys WHERE status = 'archived' AND purged_at IS NULL`,
  )) as JourneyDbRow[];
  return rows.map(toJourney);
}

export interface PurposeRuntime {
  id: number;
  key: string;
  name: string;
  legalBasis: string;
  retentionDays: number;
}

export async function purposesByKey(db: Db): Promise<Map<string, PurposeRuntime>> {
  const rows = (await sqlAll(db, 'SELECT id, key, name, legal_basis, retention_days FROM purposes')) as {
    id: number;
    key: string;
    name: string;
    legal_basis: string;
    retention_days: number;
  }[];
  return new Map(
    rows.map((row) => [
      row.key,
      {
        id: row.id,
        key: row.key,
        name: row.name,
        legalBasis: row.legal_basis,
        retentionDays: row.retention_days,
      },
    ]),
  );
}

export interface CustomerRuntime {
  id: number;
  email: string | null;
  name: string;
  locale: string;
  timeZone: string;
  attributes: Record<string, unknown>;
  status: 'active' | 'restricted' | 'erased';
}

type CustomerDbRow = {
  id: number;
  email: string | null;
  name: string;
  locale: string;
  time_zone: string;
  attributes: string | null;
  status: CustomerRuntime['status'];
};

function toCustomer(row: CustomerDbRow): CustomerRuntime {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    timeZone: row.time_zone,
    attributes: row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : {},
    status: row.status,
  };
}

const CUSTOMER_COLUMNS = 'id, email, name, locale, time_zone, attributes, status';

export async function findCustomerRuntime(db: Db, customerId: number): Promise<CustomerRuntime | undefined> {
  const row = (await sqlGet(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`, [customerId])) as
    CustomerDbRow | undefined;
  return row ? toCustomer(row) : undefined;
}

/** The customers of a claimed batch, by id (one query for any batch size). */
export async function findCustomersRuntime(
  db: Db,
  customerIds: readonly number[],
): Promise<Map<number, CustomerRuntime>> {
  const rows = (await sqlAll(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN ${jsonList(db)}`, [
    JSON.stringify(customerIds),
  ])) as CustomerDbRow[];
  return new Map(rows.map((row) => [row.id, toCustomer(row)]));
}

/** Customers in id order after `afterId` (not erased, not merged away), a page at a time. */
export async function customerPage(db: Db, afterId: number, limit: number): Promise<CustomerRuntime[]> {
  const rows = (await sqlAll(
    db,
    `SELECT ${CUSTOMER_COLUMNS} FROM customers
     WHERE id > ? AND status != 'erased' AND merged_into_id IS NULL ORDER BY id LIMIT ?`,
    [afterId, limit],
  )) as CustomerDbRow[];
  return rows.map(toCustomer);
}

/** Purpose-level consent states (theme '' ) by purpose key, for condition facts. */
export async function consentStatesOfCustomer(
  db: Db,
  customerId: number,
): Promise<Record<string, ConsentState>> {
  const rows = (await sqlAll(
    db,
    `SELECT p.key AS purpose_key, s.state AS state FROM consent_state s JOIN purposes p ON p.id = s.purpose_id
     WHERE s.customer_id = ? AND s.theme_key = ''`,
    [customerId],
  )) as { purpose_key: string; state: ConsentState }[];
  return Object.fromEntries(rows.map((row) => [row.purpose_key, row.state]));
}

/** Recent events of the names a rule refers to; the rule itself applies the time windows. */
export async function eventsOfCustomer(
  db: Db,
  customerId: number,
  names: string[],
): Promise<{ name: string; occurredAt: Date }[]> {
  const found: { name: string; occurredAt: Date }[] = [];
  for (const name of names) {
    const rows = await sqlAll<{ name: string; occurred_at: number }>(
      db,
      'SELECT name, occurred_at FROM events WHERE customer_id = ? AND name = ? ORDER BY occurred_at DESC LIMIT 100',
      [customerId, name],
    );
    for (const row of rows) found.push({ name: row.name, occurredAt: new Date(row.occurred_at) });
  }
  return found;
}

/**
 * eventsOfCustomer for a whole batch: the recent events (up to 100 per customer and name, newest
 * first) of these names for all these customers, in one query, by customer and then by name.
 */
export async function eventsOfCustomers(
  db: Db,
  customerIds: readonly number[],
  names: readonly string[],
): Promise<Map<number, Map<string, { name: string; occurredAt: Date }[]>>> {
  const byCustomer = new Map<number, Map<string, { name: string; occurredAt: Date }[]>>();
  if (customerIds.length === 0 || names.length === 0) return byCustomer;
  const rows = await sqlAll<{ customer_id: number; name: string; occurred_at: number }>(
    db,
    `SELECT customer_id, name, occurred_at FROM (
       SELECT customer_id, name, occurred_at,
         ROW_NUMBER() OVER (PARTITION BY customer_id, name ORDER BY occurred_at DESC) AS recent
       FROM events WHERE customer_id IN ${jsonList(db)} AND name IN ${jsonList(db, '?', 'text')}
     ) ranked WHERE recent <= 100 ORDER BY customer_id, name, occurred_at DESC`,
    [JSON.stringify(customerIds), JSON.stringify(names)],
  );
  for (const row of rows) {
    let byName = byCustomer.get(row.customer_id);
    if (!byName) {
      byName = new Map();
      byCustomer.set(row.customer_id, byName);
    }
    let found = byName.get(row.name);
    if (!found) {
      found = [];
      byName.set(row.name, found);
    }
    found.push({ name: row.name, occurredAt: new Date(row.occurred_at) });
  }
  return byCustomer;
}

/**
 * The first of these outcomes a step recorded for a customer, in any enrollment and version of
 * the journey (a split's sticky assignment). Read through step_events_customer: a customer has
 * few events, so this is one short index range per split. The unary plus keeps SQLite's planner
 * off step_events_journey (every event of the journey: quadratic over a run).
 */
export async function firstOutcomeAtStep(
  db: Db,
  input: { customerId: number; journeyId: number; nodeId: string; outcomes: readonly string[] },
): Promise<string | undefined> {
  if (input.outcomes.length === 0) return undefined;
  const row = await sqlGet<{ outcome: string }>(
    db,
    `SELECT outcome FROM step_events
      WHERE customer_id = ? AND +journey_id = ? AND node_id = ? AND outcome IN (${input.outcomes.map(() => '?').join(', ')})
      ORDER BY id LIMIT 1`,
    [input.customerId, input.journeyId, input.nodeId, ...input.outcomes],
  );
  return row?.outcome;
}
