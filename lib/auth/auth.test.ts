import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';
import { can } from './roles';
import { isSameOriginRequest } from './csrf';
import { attemptLogin, loginBackoffMs } from './login';
import { endUserSessions, updateUser, upsertUser } from '@/db/store/users';
import { staffOfToken, staffOfTokenNow } from './next-auth';
import { useTempDatabase } from '@/tests/helpers/db';

useTempDatabase();

describe('passwords', () => {
  it('verify only the password they were made from', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('wrong horse battery', hash)).toBe(false);
  });
});

describe('roles', () => {
  it('let a compliance officer view journeys but not edit them', () => {
    expect(can('compliance', 'journeys:view')).toBe(true);
    expect(can('compliance', 'journeys:edit')).toBe(false);
  });
  it('keep users and keys for admins', () => {
    expect(can('admin', 'users:manage')).toBe(true);
    expect(can('marketer', 'users:manage')).toBe(false);
    expect(can('compliance', 'apikeys:manage')).toBe(false);
  });
  it('keep Mission Control from marketers', () => {
    expect(can('marketer', 'mission-control:view')).toBe(false);
    expect(can(undefined, 'journeys:view')).toBe(false);
  });
});

describe('CSRF origin check', () => {
  it('accepts same-origin and refuses cross-site posts', () => {
    expect(
      isSameOriginRequest(new Headers({ origin: 'http://localhost:3000', host: 'localhost:3000' })),
    ).toBe(true);
    expect(isSameOriginRequest(new Headers({ origin: 'https://evil.example', host: 'localhost:3000' }))).toBe(
      false,
    );
    expect(
      isSameOriginRequest(
        new Headers({ host: 'localhost:3000', 'content-type': 'application/x-www-form-urlencoded' }),
      ),
    ).toBe(false);
  });
});

describe('staff login', () => {
  it('gives the same answer for an unknown user and a wrong password', async () => {
    await upsertUser({
      email: 'someone@tarmo.test',
      role: 'marketer',
      passwordHash: await hashPassword('the right password'),
    });
    const wrongPassword = await attemptLogin('someone@tarmo.test', 'not it at all', '10.0.0.1');
    const unknownUser = await attemptLogin('nobody@tarmo.test', 'not it at all', '10.0.0.1');
    expect(wrongPassword).toEqual(unknownUser);
    expect(await attemptLogin('SomeOne@tarmo.test', 'the right password', '10.0.0.1')).toMatchObject({
      ok: true,
    });
  });

  it('slows guessing from one source with exponential backoff, without locking the owner out elsewhere', async () => {
    await upsertUser({
      email: 'target@tarmo.test',
      role: 'admin',
      passwordHash: await hashPassword('the right password'),
    });
    const t0 = Date.parse('2026-12-07T10:00:00Z');
    // The first failures are free; each one after must wait twice as long as the one before.
    let now = t0;
    for (let i = 0; i < 6; i++) {
      now += loginBackoffMs(i);
      const result = await attemptLogin('target@tarmo.test', `guess ${i}`, '203.0.113.9', now);
      expect(result).toEqual({ ok: false, reason: 'invalid' });
    }
    // 6 failures: the next try from there must wait 8 s; even the right password is not checked.
    expect(await attemptLogin('target@tarmo.test', 'the right password', '203.0.113.9', now + 7_000)).toEqual(
      {
        ok: false,
        reason: 'rate-limited',
        retryAfterSeconds: 1,
      },
    );
    // The owner, signing in from their own address at the same moment, gets in.
    expect(
      await attemptLogin('target@tarmo.test', 'the right password', '198.51.100.4', now + 7_000),
    ).toMatchObject({
      ok: true,
    });
    // After the wait the attacker's source may try again (and is slowed further on failure).
    expect(await attemptLogin('target@tarmo.test', 'guess 7', '203.0.113.9', now + 8_000)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect([0, 1, 2, 3, 4, 5, 20].map(loginBackoffMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 900_000]);
  });

  it('stops a source that fails across many accounts (password spraying)', async () => {
    const now = Date.parse('2026-12-07T11:00:00Z');
    for (let i = 0; i < 50; i++)
      await attemptLogin(`user${i}@tarmo.test`, 'Winter2026!', '203.0.113.50', now);
    expect(await attemptLogin('someone@tarmo.test', 'the right password', '203.0.113.50', now)).toMatchObject(
      {
        ok: false,
        reason: 'rate-limited',
      },
    );
  });

  it('does not count successful sign-ins against the limit', async () => {
    await upsertUser({
      email: 'busy@tarmo.test',
      role: 'marketer',
      passwordHash: await hashPassword('the right password'),
    });
    for (let i = 0; i < 15; i++) {
      expect(await attemptLogin('busy@tarmo.test', 'the right password', '10.0.0.3')).toMatchObject({
        ok: true,
      });
    }
  });
});

describe('sessions end when they should', () => {
  it('a session signed in before sign-out, disabling, a role or a password change is no longer valid', async () => {
    const { user } = await upsertUser({
      email: 'session@tarmo.test',
      role: 'compliance',
      passwordHash: await hashPassword('the right password'),
    });
    const signIn = async () => {
      const result = await attemptLogin('session@tarmo.test', 'the right password', '192.0.2.10');
      if (!result.ok) throw new Error('sign-in failed');
      return { uid: result.user.id, sv: result.sessionVersion };
    };
    let token = await signIn();
    expect(await staffOfToken(token)).toMatchObject({ id: user.id, role: 'compliance' });
    // A name change keeps the session; who they are and what they may do did not change.
    await updateUser(user.id, { name: 'Renamed' });
    expect(await staffOfToken(token)).toMatchObject({ name: 'Renamed' });

    for (const change of [
      () => updateUser(user.id, { role: 'marketer' }),
      () => updateUser(user.id, { passwordHash: 'scrypt$changed' }),
      () => endUserSessions(user.id),
    ]) {
      await change();
      expect(await staffOfToken(token)).toBeNull();
      await upsertUser({
        email: 'session@tarmo.test',
        role: 'compliance',
        passwordHash: await hashPassword('the right password'),
      });
      token = await signIn();
      expect(await staffOfToken(token)).not.toBeNull();
    }
    await updateUser(user.id, { disabled: true });
    expect(await staffOfToken(token)).toBeNull();
    expect(await staffOfTokenNow({ ...token, exp: Math.floor(Date.now() / 1000) - 1 })).toBeNull();
  });
});
