import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';
import { can } from './roles';
import { isSameOriginRequest } from './csrf';
import { attemptLogin } from './login';
import { upsertUser } from '@/db/store/users';
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

  it('locks an address out after too many attempts', async () => {
    await upsertUser({
      email: 'target@tarmo.test',
      role: 'admin',
      passwordHash: await hashPassword('the right password'),
    });
    for (let i = 0; i < 10; i++) await attemptLogin('target@tarmo.test', `guess ${i}`, '10.0.0.2');
    expect(await attemptLogin('target@tarmo.test', 'the right password', '10.0.0.2')).toEqual({
      ok: false,
      reason: 'rate-limited',
    });
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
