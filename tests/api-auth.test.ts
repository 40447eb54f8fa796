import { describe, expect, it } from 'vitest';
import { NextResponse } from 'next/server';
import { useTempDatabase } from '@/tests/helpers/db';
import { apiRoute } from '@/app/_lib/api-auth';
import { createApiKey } from '@/lib/auth/api-keys';

useTempDatabase();

const call = (route: ReturnType<typeof apiRoute>, key: string | null, init: RequestInit = {}) =>
  route(
    new Request('http://tarmo.test/api/v1/customers', {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    }),
    {},
  );

describe('apiRoute', () => {
  it('limits requests per key with 429 and Retry-After, in the API error shape', async () => {
    process.env.TARMO_API_RATE_LIMIT = '3';
    try {
      const { key } = await createApiKey({ name: 'limited', scopes: ['read'] }, { type: 'system' });
      const route = apiRoute('read', async () => NextResponse.json({ ok: true }));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(route, key)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call(route, key);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
      // Another key has its own budget.
      const other = await createApiKey({ name: 'other', scopes: ['read'] }, { type: 'system' });
      expect((await call(route, other.key)).status).toBe(200);
    } finally {
      delete process.env.TARMO_API_RATE_LIMIT;
    }
  });

  it('runs a POST once per Idempotency-Key and replays its response', async () => {
    const { key } = await createApiKey({ name: 'writer', scopes: ['write'] }, { type: 'system' });
    let runs = 0;
    const route = apiRoute('write', async () => NextResponse.json({ run: ++runs }, { status: 201 }));
    const post = (body: string) =>
      call(route, key, { method: 'POST', body, headers: { 'idempotency-key': 'abc' } });
    const first = await post('{"a":1}');
    const second = await post('{"a":1}');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual({ run: 1 });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await post('{"a":2}')).status).toBe(422);
    expect(runs).toBe(1);
  });

  it('answers 401 without a key and 403 for a missing scope', async () => {
    const { key } = await createApiKey({ name: 'reader', scopes: ['read'] }, { type: 'system' });
    const route = apiRoute('privacy', async () => NextResponse.json({}));
    expect((await call(route, null)).status).toBe(401);
    expect((await call(route, 'tarmo_nope')).status).toBe(401);
    expect((await call(route, key)).status).toBe(403);
  });
});
