import { describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit';
import { runWithRequestContext } from '@/lib/config/log';
import { auditCsv, auditPage, parseAuditFilter } from '@/lib/mission-control/audit-trail';
import { upsertUser } from '@/db/store/users';
import { createApiKey } from '@/lib/auth/api-keys';
import { useTempDatabase } from './helpers/db';

/** The audit log page's query and its CSV: names from the staff and key tables, filters, where from. */
useTempDatabase();

describe('audit trail', () => {
  it('shows who by name, what, on which record, from where; filters and exports as CSV', async () => {
    const { user } = await upsertUser({
      email: 'ann@tarmo.test',
      name: 'Ann Admin',
      role: 'admin',
      passwordHash: 'x',
    });
    const keyId = (await createApiKey({ name: 'CRM sync', scopes: ['write'] }, { type: 'user', id: user.id }))
      .id;
    await runWithRequestContext({ requestId: 'req-1', userId: user.id, network: '203.0.113.0/24' }, () =>
      recordAudit({
        actorType: 'user',
        actorId: user.id,
        action: 'journey.published',
        targetType: 'journey',
        targetId: 7,
      }),
    );
    await runWithRequestContext({ requestId: 'req-2', apiKeyId: keyId, network: '198.51.100.0/24' }, () =>
      recordAudit({
        actorType: 'api_key',
        actorId: keyId,
        action: 'POST /api/v1/customers',
        details: { status: 201 },
      }),
    );
    const all = await auditPage(parseAuditFilter({}));
    const published = all.rows.find((row) => row.action === 'journey.published')!;
    expect(published).toMatchObject({ actorName: 'Ann Admin', targetType: 'journey', targetId: '7' });
    expect(published.details).toMatchObject({ via: 'ui', requestId: 'req-1', network: '203.0.113.0/24' });

    const api = await auditPage(parseAuditFilter(new URLSearchParams('actor=api_key&action=POST')));
    expect(api.rows.map((row) => [row.actorName, row.action])).toEqual([
      ['CRM sync', 'POST /api/v1/customers'],
    ]);
    expect((await auditPage(parseAuditFilter({ targetType: 'journey', targetId: '8' }))).rows).toEqual([]);
    expect((await auditPage(parseAuditFilter({ from: '2999-01-01' }))).rows).toEqual([]);
    // Bad filter values are ignored, not errors.
    expect((await auditPage(parseAuditFilter({ actor: 'nobody', from: 'yesterday' }))).rows.length).toBe(
      all.rows.length,
    );

    const csv = await auditCsv(parseAuditFilter({ actor: 'api_key' }));
    const [header, line] = csv.trim().split('\r\n');
    expect(header).toBe(
      'id,at,actor_type,actor_id,actor,action,target_type,target_id,via,network,request_id,details',
    );
    expect(line).toContain(
      'API key CRM sync,POST /api/v1/customers,,,api,198.51.100.0/24,req-2,"{""status"":201}"',
    );
    expect(csv).not.toContain('ann@tarmo.test');
  });
});
