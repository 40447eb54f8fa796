import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_STATUS, err, fieldFailure, httpError, ok } from './result';

describe('result convention', () => {
  it('maps a failure to its status and the API error body, with the field only when there is one', () => {
    expect(
      httpError(err('unknown_customer', 'customerId: no such customer', { field: 'customerId' }).error),
    ).toEqual({
      status: 404,
      body: {
        error: { code: 'unknown_customer', message: 'customerId: no such customer', field: 'customerId' },
      },
    });
    expect(httpError(err('conflict', 'Reload first').error)).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'Reload first' } },
    });
  });

  it('puts details beside the error, never inside it, and details cannot replace the error', () => {
    const failure = err('confirm_warnings', 'Confirm the warnings', {
      details: { warnings: [{ message: 'w' }], error: 'spoofed' },
    }).error;
    expect(httpError(failure)).toEqual({
      status: 409,
      body: {
        warnings: [{ message: 'w' }],
        error: { code: 'confirm_warnings', message: 'Confirm the warnings' },
      },
    });
  });

  it('answers every code with a 4xx or 5xx status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('names the first wrong field of a zod error', () => {
    const parsed = z
      .object({ items: z.array(z.object({ name: z.string() })) })
      .safeParse({ items: [{ name: 1 }] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(fieldFailure(parsed.error.issues)).toMatchObject({ code: 'invalid_field', field: 'items.0.name' });
  });

  it('wraps a value', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(ok()).toEqual({ ok: true, value: undefined });
  });
});
