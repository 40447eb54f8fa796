import { dummyPasswordHash, verifyPassword } from './password';
import type { StaffUser } from './roles';
import { passwordLoginEnabled } from './sso';
import { findUserByEmail, recordLogin } from '@/db/store/users';
import {
  clearFailureRun,
  hitRateLimit,
  peekRateLimit,
  readFailureRun,
  recordFailureRun,
} from '@/db/store/rate-limits';
import { recordAudit } from '@/db/store/audit';

const SOURCE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_SOURCE = 50;
/** Failures of one account from one source before each further attempt must wait. */
const FREE_FAILURES = 3;
const MAX_WAIT_MS = 15 * 60 * 1000;

export type LoginResult =
  | { ok: true; user: StaffUser; sessionVersion: number }
  | { ok: false; reason: 'invalid' }
  /** TARMO_PASSWORD_LOGIN=0: staff sign in by single sign-on only. */
  | { ok: false; reason: 'password-off' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

/**
 * How long one account must wait, from one source, after `failures` failures in a row:
 * nothing for the first few, then 1 s, 2 s, 4 s … up to 15 minutes.
 */
export function loginBackoffMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_WAIT_MS);
}

/**
 * Checks staff credentials. The answer for an unknown user and a wrong password is the same,
 * and both take one scrypt verification, so neither words nor timing tell whether a user exists.
 *
 * Throttling slows an attacker without letting them lock a staff member out: failures count per
 * account AND source (the client address from lib/net/client-address), with exponential backoff,
 * so guessing from one place gets slower and slower while the person signing in from their own
 * place is not affected; a source that fails across many accounts is stopped for a while.
 */
export async function attemptLogin(
  email: string,
  password: string,
  source: string,
  now = Date.now(),
): Promise<LoginResult> {
  if (!passwordLoginEnabled()) return { ok: false, reason: 'password-off' };
  const normalized = email.trim().toLowerCase();
  // The store keeps only keyed hashes of these names (db/store/rate-limits hashedBucket).
  const accountAtSource = `login-account-source:${normalized}\n${source}`;
  const sourceBucket = `login-source:${source}`;
  const [run, sourceFailures] = await Promise.all([
    readFailureRun(accountAtSource),
    peekRateLimit(sourceBucket, SOURCE_WINDOW_MS, now),
  ]);
  const waitUntil = run ? run.lastAt + loginBackoffMs(run.count) : 0;
  if (waitUntil > now)
    return { ok: false, reason: 'rate-limited', retryAfterSeconds: Math.ceil((waitUntil - now) / 1000) };
  if (sourceFailures >= MAX_FAILURES_PER_SOURCE)
    return {
      ok: false,
      reason: 'rate-limited',
      retryAfterSeconds: Math.ceil((SOURCE_WINDOW_MS - (now % SOURCE_WINDOW_MS)) / 1000),
    };

  const user = await findUserByEmail(normalized);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabled) {
    await recordFailureRun(accountAtSource, now);
    await hitRateLimit(sourceBucket, MAX_FAILURES_PER_SOURCE, SOURCE_WINDOW_MS, now);
    await recordAudit({ actorType: 'system', action: 'login.failed' });
    return { ok: false, reason: 'invalid' };
  }
  await clearFailureRun(accountAtSource);
  await recordLogin(user.id);
  await recordAudit({ actorType: 'user', actorId: user.id, action: 'login.succeeded' });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    sessionVersion: user.sessionVersion,
  };
}
