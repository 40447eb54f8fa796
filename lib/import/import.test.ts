import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { useTempDatabase } from '@/tests/helpers/db';
import { consentEvents, customers, importJobs, tombstones } from '@/db/schema';
import { writeTransaction } from '@/db/client';
import { insertCustomersSkippingConflicts, purposeByKey } from '@/db/store/customers';
import { insertCustomers, insertPurposes } from '@/db/store/workspace';
import { createImportJob } from '@/db/store/imports';
import { DEMO_PURPOSES } from '@/lib/demo/purposes';
import { tombstoneHash } from '@/lib/privacy/crypto';
import { recordConsentEvent } from '@/lib/privacy/ledger';
import { runImportJob } from './run';
import { planMapping } from './mapping';
import { errorReportCsv } from './jobs';

const db = useTempDatabase();

function writeCsv(name: string, text: string): string {
  const file = path.join(db.dir(), name);
  fs.writeFileSync(file, text);
  return file;
}

const CSV = [
  'email,crm_id,name,consent,consent_source,consent_evidence,city',
  'ada@example.com,c-1,Ada,yes,shop form,"ticked box on 2024-05-01",Turku',
  'not-an-email,c-2,Bad,,,,',
  'erased@example.com,c-3,Gone,yes,form,x,',
  'bo@example.com,c-4,Bo,yes,,,Oulu',
  ',,,,,,',
  'cy@example.com,c-5,Cy,maybe,form,x,',
].join('\n');

const MAPPING = {
  columns: {
    email: 'email',
    crm_id: 'externalId',
    name: 'name',
    consent: 'consent',
    consent_source: 'consentSource',
    consent_evidence: 'consentEvidence',
    city: 'attribute',
  } as const,
  consentPurpose: 'newsletter',
};

describe('CSV import', () => {
  it('accepts consent only with source and evidence columns', () => {
    const header = ['email', 'consent'];
    const planned = planMapping(header, {
      columns: { email: 'email', consent: 'consent' },
      consentPurpose: 'newsletter',
    });
    expect(planned.ok && planned.plan.consent).toBe(null);
    expect(planned.ok && planned.plan.warnings[0]).toMatch(
      /only imported with a source and an evidence column/,
    );
  });

  it('dry run reports per-row problems and writes nothing; the import then writes, skips tombstones and reports', async () => {
    await insertPurposes(DEMO_PURPOSES);
    const handle = db.handle().db;
    await handle
      .insert(tombstones)
      .values({ emailHash: tombstoneHash('erased@example.com'), reason: 'erasure' })
      .run();
    const file = writeCsv('people.csv', CSV);
    const job = await createImportJob({ fileName: 'people.csv', createdBy: null });

    const dry = await runImportJob({
      jobId: job.id,
      mapping: MAPPING,
      dryRun: true,
      actorId: null,
      filePath: file,
    });
    expect(dry).toMatchObject({ processedRows: 5, importedRows: 3, skippedRows: 1, failedRows: 1 });
    expect(await handle.select().from(customers).all()).toHaveLength(0);
    expect(await handle.select().from(consentEvents).all()).toHaveLength(0);
    const kinds = dry.problems.map((p) => [p.row, p.kind, p.field]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        [3, 'error', 'email'],
        [4, 'skipped', 'email'],
        [5, 'warning', 'consent'],
        [7, 'warning', 'consent'],
      ]),
    );

    const real = await runImportJob({
      jobId: job.id,
      mapping: MAPPING,
      dryRun: false,
      actorId: null,
      filePath: file,
    });
    expect(real).toMatchObject({ processedRows: 5, importedRows: 3, skippedRows: 1, failedRows: 1 });
    const rows = await handle.select().from(customers).all();
    expect(rows.map((r) => r.email).sort()).toEqual(['ada@example.com', 'bo@example.com', 'cy@example.com']);
    expect(rows.find((r) => r.email === 'ada@example.com')?.attributes).toEqual({ city: 'Turku' });
    const ledger = await handle.select().from(consentEvents).all();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ source: 'import', action: 'grant' });
    const stored = await handle.select().from(importJobs).where(eq(importJobs.id, job.id)).get();
    expect(stored).toMatchObject({ status: 'done', importedRows: 3, skippedRows: 1, failedRows: 1 });
    expect(fs.existsSync(file)).toBe(false);

    const report = await errorReportCsv(job.id);
    expect(report?.split('\n')[0]).toBe('row,kind,field,message');
    expect(report).toContain('"3","error","email"');
    expect(report).not.toContain('not-an-email');
  });

  it('refuses a row with a NUL character by column and imports the rest', async () => {
    const file = writeCsv(
      'nul.csv',
      ['email,name', 'ok@example.com,Ok', 'nul@example.com,Nu\u0000l'].join('\n'),
    );
    const job = await createImportJob({ fileName: 'nul.csv', createdBy: null });
    const result = await runImportJob({
      jobId: job.id,
      mapping: { columns: { email: 'email', name: 'name' } },
      dryRun: false,
      actorId: null,
      filePath: file,
    });
    expect(result).toMatchObject({ processedRows: 2, importedRows: 1, failedRows: 1 });
    expect(result.problems.map((p) => [p.row, p.kind, p.field])).toEqual([[3, 'error', 'column 2']]);
    const rows = await db.handle().db.select().from(customers).all();
    expect(rows.map((r) => r.email)).toContain('ok@example.com');
    expect(rows.map((r) => r.email)).not.toContain('nul@example.com');
  });
  it('stores names and attributes with tabs, line breaks, backslashes and a literal \\N exactly (PostgreSQL writes new rows by COPY)', async () => {
    const tricky = ['Tab\there', 'Line\nbreak\r\nagain', 'Back\\slash \\N', '\\N'];
    const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
    const file = writeCsv(
      'escapes.csv',
      [
        'email,name,city',
        ...tricky.map((value, i) => `esc${i}@example.com,${quote(value)},${quote(value)}`),
      ].join('\n'),
    );
    const job = await createImportJob({ fileName: 'escapes.csv', createdBy: null });
    const result = await runImportJob({
      jobId: job.id,
      mapping: { columns: { email: 'email', name: 'name', city: 'attribute' } },
      dryRun: false,
      actorId: null,
      filePath: file,
    });
    expect(result).toMatchObject({ importedRows: tricky.length, failedRows: 0 });
    const rows = await db.handle().db.select().from(customers).all();
    for (const [i, value] of tricky.entries()) {
      const row = rows.find((r) => r.email === `esc${i}@example.com`);
      expect(row?.name).toBe(value);
      expect(row?.attributes).toEqual({ city: value });
    }
    // The set-based insert itself (the import falls back to row-by-row writes when it fails, which
    // would hide a broken COPY escaping above): the same values in one transaction, read back.
    const ids = await writeTransaction(
      async (tx) =>
        await insertCustomersSkippingConflicts(
          tx,
          tricky.map((value, i) => ({
            email: `set${i}@example.com`,
            name: value,
            attributes: { city: value },
          })),
        ),
    );
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    const stored = await db.handle().db.select().from(customers).all();
    for (const [i, value] of tricky.entries()) {
      const row = stored.find((r) => r.email === `set${i}@example.com`);
      expect([row?.name, row?.attributes]).toEqual([value, { city: value }]);
    }
  });
  it('a file of new and known customers: the known are upserted once, the new inserted, a withdrawal stands', async () => {
    const handle = db.handle().db;
    if (!(await purposeByKey(handle, 'newsletter'))) await insertPurposes(DEMO_PURPOSES);
    const purpose = (await purposeByKey(handle, 'newsletter'))!;
    const [, gone] = await insertCustomers([
      { email: 'kept@example.com', externalId: 'k-1', name: 'Old' },
      { email: 'gone@example.com', name: 'Gone' },
    ]);
    await writeTransaction((tx) =>
      recordConsentEvent(tx, {
        customerId: gone!.id,
        purposeId: purpose.id,
        action: 'withdraw',
        source: 'api',
        evidence: { reason: 'test' },
      }),
    );
    // Known rows among new ones: the first batch takes them all as new, and the set-based insert
    // (COPY on PostgreSQL) must leave the known ones to the upsert.
    const file = () =>
      writeCsv(
        'mixed.csv',
        [
          'email,crm_id,name,consent,consent_source,consent_evidence',
          'new1@example.com,n-1,New One,,,',
          'kept@example.com,k-1,Kept Renamed,,,',
          'new2@example.com,n-2,New Two,yes,form,box ticked',
          'gone@example.com,,Gone,yes,form,box ticked',
          'new3@example.com,n-3,New Three,,,',
        ].join('\n'),
      );
    const importFile = async () => {
      const job = await createImportJob({ fileName: 'mixed.csv', createdBy: null });
      const { city: _city, ...columns } = MAPPING.columns;
      return await runImportJob({
        jobId: job.id,
        mapping: { ...MAPPING, columns },
        dryRun: false,
        actorId: null,
        filePath: file(),
      });
    };
    const first = await importFile();
    expect(first).toMatchObject({ processedRows: 5, importedRows: 5, skippedRows: 0, failedRows: 0 });
    expect(first.problems.map((p) => [p.row, p.kind, p.message])).toEqual([
      [5, 'warning', "consent: kept the customer's withdrawn state"],
    ]);
    const byEmail = async () =>
      new Map((await handle.select().from(customers).all()).map((row) => [row.email, row]));
    let rows = await byEmail();
    expect(rows.get('kept@example.com')).toMatchObject({ externalId: 'k-1', name: 'Kept Renamed' });
    expect(rows.get('new3@example.com')).toMatchObject({ externalId: 'n-3', name: 'New Three' });
    const grants = async () =>
      (await handle.select().from(consentEvents).all())
        .filter((event) => event.action === 'grant' && event.source === 'import')
        .map((event) => event.customerId);
    expect(await grants()).toContain(rows.get('new2@example.com')!.id);
    expect(await grants()).not.toContain(gone!.id);
    const count = rows.size;

    // Again: every row is known now; nothing is inserted twice and no consent is granted twice.
    const grantsBefore = (await grants()).length;
    const second = await importFile();
    expect(second).toMatchObject({ processedRows: 5, importedRows: 5, failedRows: 0 });
    rows = await byEmail();
    expect(rows.size).toBe(count);
    expect((await grants()).length).toBe(grantsBefore);
  });
});
