import type { Pool } from 'pg';
import { insertEnrollments } from '@/db/pg/enrollments';

/** A live journey with n customers entered at its 'entry' node, all due now. */
export async function seedEnrollments(
  pool: Pool,
  n: number,
  now = Date.now(),
): Promise<{ journeyId: number; ids: number[] }> {
  const journey = await pool.query<{ id: number }>(
    `INSERT INTO journeys (name, status, created_at) VALUES ('Load', 'live', $1) RETURNING id`,
    [now],
  );
  const journeyId = journey.rows[0].id;
  const version = await pool.query<{ id: number }>(
    `INSERT INTO journey_versions (journey_id, is_draft, number, graph, created_at) VALUES ($1, 0, 1, '{}'::jsonb, $2) RETURNING id`,
    [journeyId, now],
  );
  const customers = await pool.query<{ id: number }>(
    `INSERT INTO customers (email, created_at)
     SELECT 'load-' || $1::int || '-' || g || '@example.test', $2 FROM generate_series(1, $3::int) AS g RETURNING id`,
    [journeyId, now, n],
  );
  const ids = await insertEnrollments(
    pool,
    customers.rows.map((row) => ({
      journeyId,
      versionId: version.rows[0].id,
      customerId: row.id,
      nodeId: 'entry',
      context: {},
      testMode: false,
      now,
    })),
  );
  return { journeyId, ids };
}
