import { sqlAll, type Db } from '../client';

/**
 * What a split step's experiment looks like in numbers, per recorded outcome (a branch, or the
 * holdout's end state): the customers assigned (each counted once, by their first assignment), the
 * journey mails sent to them after the split, and how many of them reached a goal event after
 * their assignment. Test-mode enrollments are left out.
 */
export interface SplitOutcomeCounts {
  outcome: string;
  customers: number;
  conversions: number;
  messagesSent: number;
}

export async function splitOutcomeCounts(
  db: Db,
  input: { journeyId: number; nodeId: string; outcomes: readonly string[]; goalNames: readonly string[] },
): Promise<SplitOutcomeCounts[]> {
  if (input.outcomes.length === 0) return [];
  const outcomes = input.outcomes.map(() => '?').join(', ');
  // The split's step events of real enrollments; a customer's first one is their assignment.
  const passes = `SELECT s.id, s.enrollment_id, s.customer_id, s.outcome, s.at FROM step_events s
      JOIN enrollments e ON e.id = s.enrollment_id AND e.test_mode = 0
      WHERE s.journey_id = ? AND s.node_id = ? AND s.outcome IN (${outcomes}) AND s.customer_id IS NOT NULL`;
  const params = [input.journeyId, input.nodeId, ...input.outcomes];
  const assigned = `firsts AS (SELECT min(id) AS id FROM passes GROUP BY customer_id),
    assigned AS (SELECT p.customer_id, p.outcome, p.at FROM passes p JOIN firsts f ON f.id = p.id)`;

  const customers = await sqlAll<{ outcome: string; n: number | string }>(
    db,
    `WITH passes AS (${passes}), ${assigned}
     SELECT outcome, count(*) AS n FROM assigned GROUP BY outcome`,
    params,
  );
  const conversions =
    input.goalNames.length === 0
      ? []
      : await sqlAll<{ outcome: string; n: number | string }>(
          db,
          `WITH passes AS (${passes}), ${assigned}
           SELECT a.outcome, count(*) AS n FROM assigned a
            WHERE EXISTS (SELECT 1 FROM events v WHERE v.customer_id = a.customer_id
              AND v.name IN (${input.goalNames.map(() => '?').join(', ')}) AND v.occurred_at >= a.at)
            GROUP BY a.outcome`,
          [...params, ...input.goalNames],
        );
  const messages = await sqlAll<{ outcome: string; n: number | string }>(
    db,
    `WITH passes AS (${passes})
     SELECT p.outcome, count(*) AS n FROM passes p
       JOIN outbox o ON o.customer_id = p.customer_id AND o.status = 'sent'
        AND o.enrollment_id = p.enrollment_id AND o.created_at >= p.at
      GROUP BY p.outcome`,
    params,
  );
  const byOutcome = (rows: { outcome: string; n: number | string }[]) =>
    new Map(rows.map((row) => [row.outcome, Number(row.n)]));
  const c = byOutcome(customers);
  const v = byOutcome(conversions);
  const m = byOutcome(messages);
  return input.outcomes.map((outcome) => ({
    outcome,
    customers: c.get(outcome) ?? 0,
    conversions: v.get(outcome) ?? 0,
    messagesSent: m.get(outcome) ?? 0,
  }));
}
