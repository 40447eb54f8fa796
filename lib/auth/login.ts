import { dummyPasswordHash, verifyPassword } from './password';
import type { StaffUser } from './roles';
import { findUserByEmail, recordLogin } from '@/db/store/users';
import { hitRateLimit } from '@/db/store/rate-limits';
import { recordAudit } from '@/db/store/audit';

const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_ATTEMPTS_PER_EMAIL = 10;
const MAX_ATTEMPTS_PER_IP = 50;

export type LoginResult =
  | { ok: true; user: StaffUser }
  | { ok: false; reason: 'invalid' | 'rate-limited' };

/**
 * Checks staff credentials. The answer for an unknown user and a wrong password is the same,
 * and both take one scrypt verification, so neither words nor timing tell whether a user exists.
 */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(`login:email:${normalized}`, MAX_ATTEMPTS_PER_EMAIL, LOGIN_WINDOW_MS),
    hitRateLimit(`login:ip:${ip}`, MAX_ATTEMPTS_PER_IP, LOGIN_WINDOW_MS),
  ]);
  if (!byEmail.allowed || !byIp.allowed) return { ok: false, reason: 'rate-limited' };

  const user = await findUserByEmail(normalized);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabled) {
    await recordAudit({ actorType: 'system', action: 'login.failed', details: { knownUser: false } });
    return { ok: false, reason: 'invalid' };
  }
  await recordLogin(user.id);
  await recordAudit({ actorType: 'user', actorId: user.id, action: 'login.succeeded' });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
