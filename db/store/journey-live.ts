import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { getDb } from '../client';
import { customers, enrollments, journeyNodeStats, stepEvents } from '../schema';

/** The live view of a journey: counts per node, the customers at a node, one customer's path. */

export interface NodeLiveStats {
  /** Customers now at each node (active or waiting). */
  atNode: Record<string, number>;
  /** Customers that left each node, by output handle. */
  leftBy: Record<string, Record<string, number>>;
}

export async function journeyLiveStats(journeyId: number): Promise<NodeLiveStats> {
  const db = getDb();
  const present = await db
    .select({ nodeId: enrollments.nodeId, count: sql<number>`count(*)` })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        inArray(enrollments.state, ['active', 'waiting']),
        eq(enrollments.testMode, false),
      ),
    )
    .groupBy(enrollments.nodeId)
    .all();
  const left = await db
    .select()
    .from(journeyNodeStats)
    .where(eq(journeyNodeStats.journeyId, journeyId))
    .all();
  const leftBy: NodeLiveStats['leftBy'] = {};
  for (const row of left) (leftBy[row.nodeId] ??= {})[row.handle] = row.count;
  return { atNode: Object.fromEntries(present.map((row) => [row.nodeId, Number(row.count)])), leftBy };
}

export interface NodeCustomer {
  customerId: number;
  name: string;
  email: string | null;
  state: string;
  enteredAt: Date;
}

export async function listCustomersAtNode(
  journeyId: number,
  nodeId: string,
  limit = 100,
): Promise<NodeCustomer[]> {
  return await getDb()
    .select({
      customerId: enrollments.customerId,
      name: customers.name,
      email: customers.email,
      state: enrollments.state,
      enteredAt: enrollments.enteredAt,
    })
    .from(enrollments)
    .innerJoin(customers, eq(customers.id, enrollments.customerId))
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        eq(enrollments.nodeId, nodeId),
        inArray(enrollments.state, ['active', 'waiting']),
        eq(enrollments.testMode, false),
      ),
    )
    .orderBy(asc(enrollments.enteredAt))
    .limit(limit)
    .all();
}

export interface CustomerPathStep {
  nodeId: string;
  stepType: string;
  outcome: string;
  reason: string;
  at: Date;
}

export interface CustomerPath {
  customerId: number;
  name: string;
  email: string | null;
  state: string | null;
  currentNodeId: string | null;
  steps: CustomerPathStep[];
}

/** A customer's most recent enrollment in the journey and the step events recorded for it. */
export async function findCustomerPath(journeyId: number, query: string): Promise<CustomerPath | undefined> {
  const db = getDb();
  const trimmed = query.trim().toLowerCase();
  if (!trimmed) return undefined;
  const numeric = /^\d+$/.test(trimmed) ? Number(trimmed) : -1;
  const customer = await db
    .select({ id: customers.id, name: customers.name, email: customers.email })
    .from(customers)
    .where(
      or(
        eq(customers.id, numeric),
        eq(customers.email, trimmed),
        eq(customers.externalId, query.trim()),
        // lower() on both sides: LIKE ignores case on SQLite only.
        sql`lower(${customers.email}) LIKE lower(${`${trimmed.replace(/[%_]/g, '')}%`})`,
      ),
    )
    .orderBy(asc(customers.id))
    .limit(1)
    .get();
  if (!customer) return undefined;
  const enrollment = await db
    .select()
    .from(enrollments)
    .where(
      and(
        eq(enrollments.journeyId, journeyId),
        eq(enrollments.customerId, customer.id),
        eq(enrollments.testMode, false),
      ),
    )
    .orderBy(desc(enrollments.id))
    .limit(1)
    .get();
  const steps = enrollment
    ? await db
        .select({
          nodeId: stepEvents.nodeId,
          stepType: stepEvents.stepType,
          outcome: stepEvents.outcome,
          reason: stepEvents.reason,
          at: stepEvents.at,
        })
        .from(stepEvents)
        .where(eq(stepEvents.enrollmentId, enrollment.id))
        .orderBy(asc(stepEvents.seq))
        .all()
    : [];
  return {
    customerId: customer.id,
    name: customer.name,
    email: customer.email,
    state: enrollment?.state ?? null,
    currentNodeId: enrollment && ['active', 'waiting'].includes(enrollment.state) ? enrollment.nodeId : null,
    steps,
  };
}

// ---------------------------------------------------------------- test runs
