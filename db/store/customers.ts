import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import {
  dialectOf,
  getDb,
  inTransaction,
  type Db,
  sqlAll,
  sqlGet,
  sqlInsertIds,
  writeTransaction,
} from '../client';
import { copyRowsIn } from '../pg/copy-in';
import { jsonList } from '../sql-lists';
import {
  consentEvents,
  consentState,
  contactBlocks,
  customers,
  events,
  notices,
  purposes,
  themes,
} from '../schema';

export type CustomerRow = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;

export async function findCustomer(db: Db, id: number): Promise<CustomerRow | undefined> {
  return await db.select().from(customers).where(eq(customers.id, id)).get();
}

export async function getCustomer(id: number): Promise<CustomerRow | undefined> {
  return await findCustomer(getDb(), id);
}

// Identity lookups and inserts run once per imported row and per API upsert: prepared raw
// statements, measured with `npm run bench:ingest` to be several times cheaper than building the
// drizzle query each time. Parameterized and portable SQL.
type RawCustomer = {
  id: number;
  external_id: string | null;
  email: string | null;
  name: string;
  locale: string;
  time_zone: string;
  attributes: string;
  status: CustomerRow['status'];
  merged_into_id: number | null;
  created_at: number;
  updated_at: number | null;
};
const CUSTOMER_COLUMNS =
  'id, external_id, email, name, locale, time_zone, attributes, status, merged_into_id, created_at, updated_at';

function toCustomerRow(raw: RawCustomer | undefined): CustomerRow | undefined {
  if (!raw) return undefined;
  return {
    id: raw.id,
    externalId: raw.external_id,
    email: raw.email,
    name: raw.name,
    locale: raw.locale,
    timeZone: raw.time_zone,
    attributes: JSON.parse(raw.attributes) as Record<string, unknown>,
    status: raw.status,
    mergedIntoId: raw.merged_into_id,
    createdAt: new Date(raw.created_at),
    updatedAt: raw.updated_at === null ? null : new Date(raw.updated_at),
  };
}

export async function findCustomerByExternalId(db: Db, externalId: string): Promise<CustomerRow | undefined> {
  return toCustomerRow(
    (await sqlGet(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE external_id = ?`, [externalId])) as
      RawCustomer | undefined,
  );
}

export async function findCustomerByEmail(db: Db, email: string): Promise<CustomerRow | undefined> {
  return toCustomerRow(
    (await sqlGet(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE email = ?`, [
      email.trim().toLowerCase(),
    ])) as RawCustomer | undefined,
  );
}

/** Identities per lookup statement: one JSON parameter each, so any count binds as two values. */
const IDENTITY_CHUNK = 5000;

/**
 * The customers holding any of these external ids or (normalised) addresses, in one query per
 * 5,000 of each: a CSV import batch reads who already exists before deciding row by row. Two index
 * lookups joined by UNION ALL: PostgreSQL plans `external_id IN (…) OR email IN (…)` as a scan of
 * the whole table (27 ms per 500-row batch at 50,000 customers, growing with the table).
 */
export async function findCustomersByIdentity(
  db: Db,
  externalIds: readonly string[],
  emails: readonly string[],
): Promise<CustomerRow[]> {
  const found = new Map<number, CustomerRow>();
  for (let i = 0; i < Math.max(externalIds.length, emails.length); i += IDENTITY_CHUNK) {
    const rows = (await sqlAll(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE external_id IN ${jsonList(db, '?', 'text')}
       UNION ALL
       SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE email IN ${jsonList(db, '?', 'text')}`,
      [
        JSON.stringify(externalIds.slice(i, i + IDENTITY_CHUNK)),
        JSON.stringify(emails.slice(i, i + IDENTITY_CHUNK)),
      ],
    )) as RawCustomer[];
    for (const row of rows) if (!found.has(row.id)) found.set(row.id, toCustomerRow(row)!);
  }
  return [...found.values()];
}

const NEW_CUSTOMER_ROW = "(?, ?, ?, ?, ?, ?, 'active', ?)";

/**
 * Inserts many new customers set-based and answers, per value in order, the new customer's id, or
 * undefined for a value left out because it would collide with a customer that exists (same
 * external id or address) rather than failing the statement. SQLite: a prepared multi-row VALUES
 * (500 per statement, below its bound-variable limit). PostgreSQL, inside a transaction: one COPY
 * per 5,000 straight into customers, and where a row collided, the same rows again through one
 * INSERT … SELECT … ON CONFLICT DO NOTHING over a JSON parameter.
 */
export async function insertCustomersSkippingConflicts(
  db: Db,
  values: readonly NewCustomer[],
): Promise<(number | undefined)[]> {
  const postgres = dialectOf(db) === 'postgres';
  const chunkSize = postgres ? 5000 : 500;
  const ids: (number | undefined)[] = [];
  const createdAt = Date.now();
  for (let i = 0; i < values.length; i += chunkSize) {
    const chunk = values.slice(i, i + chunkSize);
    const copied = postgres && inTransaction(db) ? await copyNewCustomers(db, chunk, createdAt) : undefined;
    if (copied) {
      ids.push(...copied);
      continue;
    }
    const rows = postgres
      ? await insertCustomerRecordset(db, chunk, createdAt)
      : await insertCustomerValues(db, chunk, createdAt);
    // RETURNING names the rows that went in, in no promised order.
    const identity = (externalId: string | null | undefined, email: string | null | undefined) =>
      `${externalId ?? ''}\u0000${email ?? ''}`;
    const idOf = new Map(rows.map((row) => [identity(row.external_id, row.email), row.id]));
    for (const value of chunk) ids.push(idOf.get(identity(value.externalId, value.email)));
  }
  return ids;
}

/**
 * A new customer's stored fields with their defaults, in column order: external id, email, name,
 * locale, time zone, attributes (JSON).
 */
function newCustomerFields(
  value: NewCustomer,
): [string | null, string | null, string, string, string, string] {
  return [
    value.externalId ?? null,
    value.email ?? null,
    value.name ?? '',
    value.locale ?? 'en',
    value.timeZone ?? 'UTC',
    JSON.stringify(value.attributes ?? {}),
  ];
}

type InsertedRow = { id: number; external_id: string | null; email: string | null };

async function insertCustomerValues(db: Db, chunk: readonly NewCustomer[], createdAt: number) {
  const params: unknown[] = [];
  for (const value of chunk) params.push(...newCustomerFields(value), createdAt);
  return await sqlAll<InsertedRow>(
    db,
    `INSERT INTO customers (external_id, email, name, locale, time_zone, attributes, status, created_at)
     VALUES ${new Array<string>(chunk.length).fill(NEW_CUSTOMER_ROW).join(', ')}
     ON CONFLICT DO NOTHING RETURNING id, external_id, email`,
    params,
  );
}

const COPIED_CUSTOMER_COLUMNS = [
  'id',
  'external_id',
  'email',
  'name',
  'locale',
  'time_zone',
  'attributes',
  'status',
  'created_at',
] as const;

/**
 * PostgreSQL: the rows by COPY, in a savepoint, with ids drawn from the identity's sequence first
 * (COPY returns none); answers them in the order of the values. COPY is all-or-nothing: on a
 * unique violation (a customer with one of these identities committed meanwhile) the savepoint
 * rolls back and this answers undefined. Measured with `bench:ingest --store postgres`: about half
 * the server time per row of the INSERT … SELECT.
 */
async function copyNewCustomers(
  db: Db,
  chunk: readonly NewCustomer[],
  createdAt: number,
): Promise<number[] | undefined> {
  const drawn = await sqlGet<{ ids: string }>(
    db,
    // The identity's sequence by name (migration 0000): looking it up per row cost 5 µs a row.
    `SELECT string_agg(nextval('customers_id_seq')::text, ',') AS ids FROM generate_series(1, ?)`,
    [chunk.length],
  );
  const ids = drawn!.ids.split(',').map(Number);
  try {
    await writeTransaction(
      () =>
        copyRowsIn(
          db,
          'customers',
          COPIED_CUSTOMER_COLUMNS,
          chunk.map((value, index) => [ids[index]!, ...newCustomerFields(value), 'active', createdAt]),
        ),
      db,
    );
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return undefined;
    throw error;
  }
  return ids;
}

/**
 * PostgreSQL: one fixed statement whatever the count (twice the rows per second of 500-row VALUES,
 * whose text the server parses anew each time).
 */
async function insertCustomerRecordset(db: Db, chunk: readonly NewCustomer[], createdAt: number) {
  const rows = chunk.map((value) => ({
    x: value.externalId ?? null,
    e: value.email ?? null,
    n: value.name ?? '',
    l: value.locale ?? 'en',
    t: value.timeZone ?? 'UTC',
    a: value.attributes ?? {},
  }));
  return await sqlAll<InsertedRow>(
    db,
    `INSERT INTO customers (external_id, email, name, locale, time_zone, attributes, status, created_at)
     SELECT x, e, n, l, t, a, 'active', ? FROM json_to_recordset(CAST(? AS json))
       AS r(x text, e text, n text, l text, t text, a jsonb)
     ON CONFLICT DO NOTHING RETURNING id, external_id, email`,
    [createdAt, JSON.stringify(rows)],
  );
}

/** Ids for a batch of addresses in one query (event ingestion resolves up to 1,000 at once). */
// The two lookups of an event batch: raw SQL over a JSON list, one prepared statement per 5,000
// (the query builder's select … IN (500 placeholders) cost more to build than to run).
export async function customerIdsByEmail(
  db: Db,
  emails: string[],
): Promise<Map<string, { id: number; status: string }>> {
  const found = new Map<string, { id: number; status: string }>();
  for (let i = 0; i < emails.length; i += IDENTITY_CHUNK) {
    const rows = await sqlAll<{ id: number; email: string | null; status: string }>(
      db,
      `SELECT id, email, status FROM customers WHERE email IN ${jsonList(db, '?', 'text')}`,
      [JSON.stringify(emails.slice(i, i + IDENTITY_CHUNK))],
    );
    for (const row of rows) if (row.email) found.set(row.email, { id: Number(row.id), status: row.status });
  }
  return found;
}

export async function customerStatuses(
  db: Db,
  ids: number[],
): Promise<Map<number, { status: string; mergedIntoId: number | null; email: string | null }>> {
  const found = new Map<number, { status: string; mergedIntoId: number | null; email: string | null }>();
  for (let i = 0; i < ids.length; i += IDENTITY_CHUNK) {
    const rows = await sqlAll<{
      id: number;
      status: string;
      merged_into_id: number | null;
      email: string | null;
    }>(db, `SELECT id, status, merged_into_id, email FROM customers WHERE id IN ${jsonList(db)}`, [
      JSON.stringify(ids.slice(i, i + IDENTITY_CHUNK)),
    ]);
    for (const row of rows)
      found.set(Number(row.id), {
        status: row.status,
        mergedIntoId: row.merged_into_id === null ? null : Number(row.merged_into_id),
        email: row.email,
      });
  }
  return found;
}

export async function insertCustomer(db: Db, values: NewCustomer): Promise<CustomerRow> {
  const raw = (await sqlGet(
    db,
    `INSERT INTO customers (external_id, email, name, locale, time_zone, attributes, status, created_at)
     VALUES (@externalId, @email, @name, @locale, @timeZone, @attributes, 'active', @createdAt) RETURNING ${CUSTOMER_COLUMNS}`,
    {
      externalId: values.externalId ?? null,
      email: values.email ?? null,
      name: values.name ?? '',
      locale: values.locale ?? 'en',
      timeZone: values.timeZone ?? 'UTC',
      attributes: JSON.stringify(values.attributes ?? {}),
      createdAt: (values.createdAt ?? new Date()).getTime(),
    },
  )) as RawCustomer;
  return toCustomerRow(raw)!;
}

export async function updateCustomer(db: Db, id: number, values: Partial<NewCustomer>): Promise<CustomerRow> {
  return await db
    .update(customers)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(customers.id, id))
    .returning()
    .get();
}

export async function listCustomersPage(afterId: number | null, limit: number): Promise<CustomerRow[]> {
  return await getDb()
    .select()
    .from(customers)
    .where(afterId ? gt(customers.id, afterId) : undefined)
    .orderBy(asc(customers.id))
    .limit(limit + 1)
    .all();
}

/** Which of these keyed address hashes are tombstoned: one query per 5,000 (a CSV import batch). */
export async function tombstonedHashes(db: Db, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += IDENTITY_CHUNK) {
    const rows = await sqlAll<{ email_hash: string }>(
      db,
      `SELECT email_hash FROM tombstones WHERE email_hash IN ${jsonList(db, '?', 'text')}`,
      [JSON.stringify(hashes.slice(i, i + IDENTITY_CHUNK))],
    );
    for (const row of rows) found.add(row.email_hash);
  }
  return found;
}

export type ConsentStateRow = typeof consentState.$inferSelect;

export async function consentStatesOf(db: Db, customerId: number): Promise<ConsentStateRow[]> {
  return await db.select().from(consentState).where(eq(consentState.customerId, customerId)).all();
}

export type ConsentStateView = {
  purpose: string;
  themeKey: string;
  state: ConsentStateRow['state'];
  updatedAt: Date;
};

export async function consentStatesView(customerId: number): Promise<ConsentStateView[]> {
  return await getDb()
    .select({
      purpose: purposes.key,
      themeKey: consentState.themeKey,
      state: consentState.state,
      updatedAt: consentState.updatedAt,
    })
    .from(consentState)
    .innerJoin(purposes, eq(purposes.id, consentState.purposeId))
    .where(eq(consentState.customerId, customerId))
    .orderBy(asc(purposes.key), asc(consentState.themeKey))
    .all();
}

/** The ledger of a customer and of every profile merged into it (merging keeps both ledgers). */
export async function consentHistoryOf(customerIds: number[], limit = 500) {
  return await getDb()
    .select({
      id: consentEvents.id,
      customerId: consentEvents.customerId,
      purpose: purposes.key,
      themeKey: consentEvents.themeKey,
      action: consentEvents.action,
      stateAfter: consentEvents.stateAfter,
      source: consentEvents.source,
      occurredAt: consentEvents.occurredAt,
    })
    .from(consentEvents)
    .innerJoin(purposes, eq(purposes.id, consentEvents.purposeId))
    .where(inArray(consentEvents.customerId, customerIds))
    .orderBy(asc(consentEvents.id))
    .limit(limit)
    .all();
}

export async function idsMergedInto(db: Db, customerId: number): Promise<number[]> {
  const all: number[] = [];
  let frontier = [customerId];
  // Merges can chain (A into B, then B into C): walk the tree, bounded.
  for (let depth = 0; depth < 10 && frontier.length; depth++) {
    const next = (
      await db
        .select({ id: customers.id })
        .from(customers)
        .where(inArray(customers.mergedIntoId, frontier))
        .all()
    ).map((row) => row.id);
    all.push(...next);
    frontier = next;
  }
  return all;
}

export type BlockRow = typeof contactBlocks.$inferSelect;

export async function activeCustomerBlocks(db: Db, customerId: number): Promise<BlockRow[]> {
  return await db
    .select()
    .from(contactBlocks)
    .where(and(eq(contactBlocks.customerId, customerId), isNull(contactBlocks.liftedAt)))
    .all();
}

/** Behavioural events follow the surviving profile. */
export async function reassignEvents(db: Db, fromCustomerId: number, toCustomerId: number): Promise<number> {
  return (
    await db
      .update(events)
      .set({ customerId: toCustomerId })
      .where(eq(events.customerId, fromCustomerId))
      .run()
  ).changes;
}

export type NewEvent = typeof events.$inferInsert;

/** Hot path of `POST /api/v1/events` (up to 1,000 per request): a prepared statement. */
export async function insertEvent(db: Db, event: NewEvent): Promise<number> {
  const row = (await sqlGet(
    db,
    'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
    [
      event.customerId,
      event.name,
      JSON.stringify(event.properties ?? {}),
      event.occurredAt.getTime(),
      (event.receivedAt ?? new Date()).getTime(),
    ],
  )) as { id: number };
  return row.id;
}

/**
 * insertEvent for a whole batch; the ids come back in the order of the events. SQLite steps one
 * prepared one-row INSERT per event: 1,000 events with their commit took 7.4 ms that way against
 * 9.3 ms as two 500-row VALUES … RETURNING statements (micro-benchmark, 100 batches, same table
 * and index).
 */
export async function insertEvents(db: Db, list: readonly NewEvent[]): Promise<number[]> {
  if (dialectOf(db) === 'postgres') return await insertEventsPostgres(db, list);
  const ids = await sqlInsertIds(
    db,
    'INSERT INTO events (customer_id, name, properties, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
    list.map((event) => [
      event.customerId,
      event.name,
      JSON.stringify(event.properties ?? {}),
      event.occurredAt.getTime(),
      (event.receivedAt ?? new Date()).getTime(),
    ]),
  );
  return ids.map((id) => id!);
}

/**
 * PostgreSQL: the batch as five arrays through unnest, one short statement whatever the size
 * (500 rows of VALUES with 2,500 parameters were parsed and planned on every batch; 1,000 events
 * took 15.5–16.1 ms that way and 12.6–14.3 ms through unnest, micro-benchmark). WITH ORDINALITY
 * … ORDER BY keeps the ids in the order of the events.
 */
async function insertEventsPostgres(db: Db, list: readonly NewEvent[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < list.length; i += 5000) {
    const chunk = list.slice(i, i + 5000);
    const rows = await sqlAll<{ id: number }>(
      db,
      `INSERT INTO events (customer_id, name, properties, occurred_at, created_at)
       SELECT customer_id, name, properties::jsonb, occurred_at, created_at
       FROM unnest(?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
         WITH ORDINALITY AS batch (customer_id, name, properties, occurred_at, created_at, position)
       ORDER BY position RETURNING id`,
      [
        chunk.map((event) => event.customerId),
        chunk.map((event) => event.name),
        chunk.map((event) => JSON.stringify(event.properties ?? {})),
        chunk.map((event) => event.occurredAt.getTime()),
        chunk.map((event) => (event.receivedAt ?? new Date()).getTime()),
      ],
    );
    ids.push(...rows.map((row) => Number(row.id)).sort((a, b) => a - b));
  }
  return ids;
}

export async function purposeByKey(db: Db, key: string) {
  return await db.select().from(purposes).where(eq(purposes.key, key)).get();
}

export async function themeExists(db: Db, purposeId: number, key: string): Promise<boolean> {
  return !!(await db
    .select({ id: themes.id })
    .from(themes)
    .where(and(eq(themes.purposeId, purposeId), eq(themes.key, key)))
    .get());
}

/** The text hash of a purpose's notice version, in the customer's locale when it exists. */
export async function noticeHashForVersion(
  db: Db,
  purposeId: number,
  version: number,
  locale: string,
): Promise<string | undefined> {
  const rows = await db
    .select({ locale: notices.locale, textHash: notices.textHash })
    .from(notices)
    .where(and(eq(notices.purposeId, purposeId), eq(notices.version, version)))
    .all();
  return (rows.find((row) => row.locale === locale) ?? rows.find((row) => row.locale === 'en') ?? rows[0])
    ?.textHash;
}
