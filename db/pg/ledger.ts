import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { ConsentState } from '../schema';
import {
  GENESIS_HASH,
  chainHash,
  evidenceDigest,
  stateAfterAction,
  type ConsentEventInput,
  type ConsentEventResult,
  type LedgerVerification,
} from '@/lib/privacy/ledger';
import { constantTimeEqualHex, secretKey } from '@/lib/privacy/crypto';
import { pgTransaction } from './client';
import { wakeEnrollments } from './enrollments';
import { notifyConsentEvent } from './notify';

/**
 * The consent ledger on PostgreSQL. The chain is one global sequence (each event links to the
 * newest before it), hashed with the very functions of lib/privacy/ledger.ts, so a ledger copied
 * between the stores verifies on either.
 *
 * Why the advisory lock: on SQLite BEGIN IMMEDIATE serializes every writer; on PostgreSQL two
 * READ COMMITTED transactions could both read the same "newest hash" and fork the chain. A
 * transaction-scoped advisory lock on the chain makes appends take turns (released at COMMIT or
 * ROLLBACK, so a crashed writer never leaves it held), and because each statement after the lock
 * takes a fresh snapshot, the newest hash read is the one the previous holder committed.
 */
export const LEDGER_CHAIN_LOCK_KEY = 7_274_312;

export type { ConsentEventInput, ConsentEventResult, LedgerVerification };

type PurposeRow = { id: number; key: string };

async function purposeOf(client: PoolClient, input: ConsentEventInput): Promise<PurposeRow | undefined> {
  const result =
    input.purposeId !== undefined
      ? await client.query<PurposeRow>('SELECT id, key FROM purposes WHERE id = $1', [input.purposeId])
      : await client.query<PurposeRow>('SELECT id, key FROM purposes WHERE key = $1', [
          input.purposeKey ?? '',
        ]);
  return result.rows[0];
}

/** The newest notice of a purpose in the customer's locale, else English, else any (as on SQLite). */
async function currentNoticeHash(
  client: PoolClient,
  customerId: number,
  purposeId: number,
): Promise<string | null> {
  const result = await client.query<{ text_hash: string }>(
    `WITH newest AS (SELECT max(version) AS v FROM notices WHERE purpose_id = $2)
     SELECT n.text_hash FROM notices n, newest
     WHERE n.purpose_id = $2 AND n.version = newest.v
     ORDER BY (n.locale = coalesce((SELECT locale FROM customers WHERE id = $1), 'en')) DESC, (n.locale = 'en') DESC, n.id
     LIMIT 1`,
    [customerId, purposeId],
  );
  return result.rows[0]?.text_hash ?? null;
}

async function adjustCounter(
  client: PoolClient,
  purposeId: number,
  themeKey: string,
  state: ConsentState,
  delta: number,
) {
  await client.query(
    `INSERT INTO consent_counters (purpose_id, theme_key, state, count) VALUES ($1, $2, $3, $4)
     ON CONFLICT (purpose_id, theme_key, state) DO UPDATE SET count = consent_counters.count + excluded.count`,
    [purposeId, themeKey, state, delta],
  );
}

/** One outbox row per active webhook subscribed to consent.changed (as lib/webhooks/enqueue.ts). */
async function enqueueConsentWebhook(
  client: PoolClient,
  data: Record<string, unknown> & { customerId: number },
  now: Date,
) {
  const hooks = await client.query<{ id: number; events: string[] }>(
    'SELECT id, events FROM webhooks WHERE active = 1',
  );
  for (const hook of hooks.rows) {
    if (!hook.events.includes('consent.changed')) continue;
    const eventId = crypto.randomUUID();
    await client.query(
      `INSERT INTO outbox (kind, category, idempotency_key, webhook_id, customer_id, payload, next_attempt_at, status, attempts, created_at)
       VALUES ('webhook', 'webhook', $1, $2, $3, $4, $5, 'queued', 0, $5)`,
      [
        `webhook:${hook.id}:${eventId}`,
        hook.id,
        data.customerId,
        JSON.stringify({ id: eventId, type: 'consent.changed', createdAt: now.toISOString(), data }),
        now.getTime(),
      ],
    );
  }
}

/**
 * recordConsentEvent for PostgreSQL, inside the caller's transaction (client is mid-BEGIN):
 * appends the event and its evidence, updates consent_state and consent_counters, wakes waiting
 * enrollments on a grant, cancels queued marketing mail on withdrawal or objection, queues the
 * consent.changed webhook and NOTIFYs listeners, all committed together or not at all.
 */
export async function recordConsentEventPostgres(
  client: PoolClient,
  input: ConsentEventInput,
): Promise<ConsentEventResult> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_CHAIN_LOCK_KEY]);
  const purpose = await purposeOf(client, input);
  if (!purpose) throw new Error(`recordConsentEvent: unknown purpose ${input.purposeKey ?? input.purposeId}`);
  const themeKey = input.themeKey ?? '';
  const occurredAt = input.occurredAt ?? new Date();
  const evidence = JSON.parse(JSON.stringify(input.evidence ?? {})) as Record<string, unknown>;

  const before = (
    await client.query<{ state: ConsentState; notice_hash: string | null }>(
      'SELECT state, notice_hash FROM consent_state WHERE customer_id = $1 AND purpose_id = $2 AND theme_key = $3',
      [input.customerId, purpose.id, themeKey],
    )
  ).rows[0];
  const stateBefore: ConsentState = before?.state ?? 'not-asked';
  const stateAfter = stateAfterAction(input.action, stateBefore);
  let noticeHash = input.noticeHash ?? null;
  if (!noticeHash && input.action === 'grant')
    noticeHash = await currentNoticeHash(client, input.customerId, purpose.id);

  const last = await client.query<{ hash: string }>(
    'SELECT hash FROM consent_events ORDER BY id DESC LIMIT 1',
  );
  const fields = {
    prevHash: last.rows[0]?.hash ?? GENESIS_HASH,
    customerId: input.customerId,
    purposeId: purpose.id,
    themeKey,
    action: input.action,
    stateAfter,
    occurredAt,
    source: input.source,
    noticeHash,
    evidenceDigest: evidenceDigest(evidence),
  };
  const hash = chainHash(secretKey('ledger-key'), fields);
  const inserted = await client.query<{ id: number }>(
    `INSERT INTO consent_events (customer_id, purpose_id, theme_key, action, state_after, source, notice_hash, evidence_digest,
       occurred_at, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      fields.customerId,
      fields.purposeId,
      themeKey,
      fields.action,
      stateAfter,
      fields.source,
      noticeHash,
      fields.evidenceDigest,
      occurredAt.getTime(),
      fields.prevHash,
      hash,
    ],
  );
  const eventId = inserted.rows[0].id;
  await client.query('INSERT INTO consent_evidence (event_id, details) VALUES ($1, $2)', [
    eventId,
    JSON.stringify(evidence),
  ]);
  await client.query(
    `INSERT INTO consent_state (customer_id, purpose_id, theme_key, state, last_event_id, notice_hash, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (customer_id, purpose_id, theme_key) DO UPDATE
       SET state = excluded.state, last_event_id = excluded.last_event_id, notice_hash = excluded.notice_hash,
           updated_at = excluded.updated_at`,
    [
      input.customerId,
      purpose.id,
      themeKey,
      stateAfter,
      eventId,
      stateAfter === 'granted' ? noticeHash : (before?.notice_hash ?? noticeHash),
      occurredAt.getTime(),
    ],
  );
  if (stateBefore !== stateAfter) {
    if (stateBefore !== 'not-asked') await adjustCounter(client, purpose.id, themeKey, stateBefore, -1);
    await adjustCounter(client, purpose.id, themeKey, stateAfter, 1);
  }

  if (stateAfter === 'granted')
    await wakeEnrollments(client, input.customerId, [`consent:${purpose.key}`], Date.now());
  if (input.action === 'withdraw' || input.action === 'object') {
    const reason = `${input.action === 'withdraw' ? 'consent withdrawn' : 'objection'} for ${purpose.key}${themeKey ? `/${themeKey}` : ''}`;
    await client.query(
      `UPDATE outbox SET status = 'cancelled', cancel_reason = $1
       WHERE customer_id = $2 AND kind = 'email' AND status = 'queued' AND purpose_id = $3
         AND ($4 = '' OR theme_key = $4) AND category = 'marketing'`,
      [reason, input.customerId, purpose.id, themeKey],
    );
  }
  if (stateBefore !== stateAfter || input.action === 'grant') {
    await enqueueConsentWebhook(
      client,
      {
        customerId: input.customerId,
        purpose: purpose.key,
        theme: themeKey || null,
        action: input.action,
        state: stateAfter,
        previousState: stateBefore,
        eventId,
        occurredAt: occurredAt.toISOString(),
      },
      occurredAt,
    );
  }
  await notifyConsentEvent(client, eventId);
  return { eventId, purposeId: purpose.id, purposeKey: purpose.key, stateBefore, stateAfter };
}

/** One consent event in its own transaction. */
export async function recordConsentPostgres(
  pool: Pool,
  input: ConsentEventInput,
): Promise<ConsentEventResult> {
  return pgTransaction(pool, (client) => recordConsentEventPostgres(client, input));
}

type LedgerRow = {
  id: number;
  customer_id: number;
  purpose_id: number;
  theme_key: string;
  action: ConsentEventInput['action'];
  state_after: ConsentState;
  source: ConsentEventInput['source'];
  notice_hash: string | null;
  evidence_digest: string;
  occurred_at: string;
  prev_hash: string;
  hash: string;
  details: Record<string, unknown> | null;
  redacted_at: string | null;
};

/**
 * checkLedgerChain for PostgreSQL: walks the chain in id order inside one REPEATABLE READ,
 * READ ONLY transaction (a consistent snapshot that does not block appends), then records the
 * outcome in ledger_checks.
 */
export async function verifyLedgerPostgres(
  pool: Pool,
  options: { key?: string; record?: boolean } = {},
): Promise<LedgerVerification> {
  const key = options.key ?? secretKey('ledger-key');
  const client = await pool.connect();
  let result: LedgerVerification | undefined;
  let checked = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    let prevHash = GENESIS_HASH;
    let afterId = 0;
    outer: for (;;) {
      const page = await client.query<LedgerRow>(
        `SELECT e.*, v.details, v.redacted_at FROM consent_events e LEFT JOIN consent_evidence v ON v.event_id = e.id
         WHERE e.id > $1 ORDER BY e.id LIMIT 2000`,
        [afterId],
      );
      if (page.rows.length === 0) break;
      for (const row of page.rows) {
        checked++;
        afterId = row.id;
        const fields = {
          prevHash: row.prev_hash,
          customerId: row.customer_id,
          purposeId: row.purpose_id,
          themeKey: row.theme_key,
          action: row.action,
          stateAfter: row.state_after,
          occurredAt: new Date(Number(row.occurred_at)),
          source: row.source,
          noticeHash: row.notice_hash,
          evidenceDigest: row.evidence_digest,
        };
        const problem =
          row.prev_hash !== prevHash
            ? 'does not link to the previous event'
            : !constantTimeEqualHex(chainHash(key, fields), row.hash)
              ? 'hash does not match its contents'
              : row.redacted_at == null &&
                  row.details != null &&
                  evidenceDigest(row.details) !== row.evidence_digest
                ? 'evidence does not match its digest'
                : null;
        if (problem) {
          result = { ok: false, checked, firstBrokenEventId: row.id, message: `event ${row.id} ${problem}` };
          break outer;
        }
        prevHash = row.hash;
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const verification = result ?? { ok: true, checked, message: `${checked} events verified` };
  if (options.record !== false) {
    await pool.query(
      `INSERT INTO ledger_checks (created_at, ok, checked_count, first_broken_event_id, message) VALUES ($1, $2, $3, $4, $5)`,
      [
        Date.now(),
        verification.ok ? 1 : 0,
        verification.checked,
        verification.firstBrokenEventId ?? null,
        verification.message,
      ],
    );
  }
  return verification;
}
