import { dummyPasswordHash, verifyPassword } from './password';
import type { StaffUser } from './roles';
import { findUserByEmail, recordLogin } from '@/db/store/users';
import { hitRateLimit, peekRateLimit } from '@/db/store/rate-limits';
import { recordAudit } from '@/db/store/audit';

const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_EMAIL = 10;
const MAX_FAILURES_PER_IP = 50;

export type LoginResult = { ok: true; user: StaffUser } | { ok: false; reason: 'invalid' | 'rate-limited' };

/**
 * Checks staff credentials. The answer for an unknown user and a wrong password is the same,
 * and both take one scrypt verification, so neither words nor timing tell whether a user exists.
 */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  const buckets = [
    { key: `login:email:${normalized}`, limit: MAX_FAILURES_PER_EMAIL },
    { key: `login:ip:${ip}`, limit: MAX_FAILURES_PER_IP },
  ];
  // Only failures count, so staff who sign in often are never locked out by their own successes.
  const failures = await Promise.all(buckets.map((b) => peekRateLimit(b.key, LOGIN_WINDOW_MS)));
  if (failures.some((count, i) => count >= buckets[i]!.limit)) return { ok: false, reason: 'rate-limited' };

  const user = await findUserByEmail(normalized);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabled) {
    await Promise.all(buckets.map((b) => hitRateLimit(b.key, b.limit, LOGIN_WINDOW_MS)));
    await recordAudit({ actorType: 'system', action: 'login.failed' });
    return { ok: false, reason: 'invalid' };
  }
  await recordLogin(user.id);
  await recordAudit({ actorType: 'user', actorId: user.id, action: 'login.succeeded' });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
