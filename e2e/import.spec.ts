import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { dbOne, loginAs } from './helpers';

function csvWithBadRows(rows: number, tag: string): string {
  const lines = ['email,crm_id,name,consent,consent_source,consent_evidence,favourite'];
  for (let i = 1; i <= rows; i++) {
    // Every 250th row has a broken address: those are the bad rows the report must list.
    const email = i % 250 === 0 ? `broken-${i}-at-example.com` : `imp-${tag}-${i}@example.com`;
    lines.push(
      `${email},imp-${tag}-${i},Person ${i},${i % 2 ? 'yes' : 'no'},shop form,checkbox on sign-up card,apples`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Waits until this test's import job (its dry run or its import) has finished. */
async function importFinished(tag: string, dryRun: boolean) {
  const state = async () => {
    const job = await dbOne<{ status: string; dry: unknown }>(
      'SELECT status, dry_run AS dry FROM import_jobs WHERE file_name = ? ORDER BY id DESC LIMIT 1',
      `shop-customers-${tag}.csv`,
    );
    return `${job.status}${Number(job.dry) ? ' (dry run)' : ''}`;
  };
  await expect
    .poll(state, { timeout: 280_000, intervals: [250, 500, 1000] })
    .toBe(dryRun ? 'done (dry run)' : 'done');
}

test('import a CSV with bad rows: dry run, progress, import, downloadable error report', async ({ page }) => {
  // Bounded by the test's time only: two runs of 3,000 rows on a busy machine (PostgreSQL too).
  test.setTimeout(300_000);
  const tag = Date.now().toString(36);
  const rows = 3000;
  await loginAs(page, 'marketer', '/customers/import');
  await page.getByLabel('CSV file').setInputFiles({
    name: `shop-customers-${tag}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(csvWithBadRows(rows, tag)),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText(`${rows} rows found.`)).toBeVisible();

  // Header names are guessed; the mapping can be changed per column.
  await expect(page.getByLabel('email', { exact: true })).toHaveValue('email');
  await expect(page.getByLabel('crm_id')).toHaveValue('externalId');
  await expect(page.getByLabel('consent', { exact: true })).toHaveValue('consent');
  await page.getByLabel('favourite').selectOption('attribute');
  await page.getByLabel('Consent is for the purpose').selectOption('newsletter');

  await page.getByRole('button', { name: 'Dry run' }).click();
  const counts = page.getByTestId('import-counts');
  // The run takes as long as the machine needs: wait for the job to finish, not a fixed time.
  await importFinished(tag, true);
  await expect(counts).toContainText(
    `${rows} of ${rows} rows processed: ${rows - 12} would be imported, 0 skipped (erased addresses), 12 with errors.`,
  );
  expect(
    (
      await dbOne<{ n: number }>(
        'SELECT count(*) AS n FROM customers WHERE external_id LIKE ?',
        `imp-${tag}-%`,
      )
    ).n,
  ).toBe(0);
  await expect(page.getByTestId('import-problems')).toContainText('email: Invalid email address');

  await page.getByRole('button', { name: 'Import' }).click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  await importFinished(tag, false);
  await expect(counts).toContainText(`${rows} of ${rows} rows processed: ${rows - 12} imported`);
  await expect(page.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(progress).toHaveAttribute('value', String(rows));

  const imported = {
    customers: (
      await dbOne<{ n: number }>(
        'SELECT count(*) AS n FROM customers WHERE external_id LIKE ?',
        `imp-${tag}-%`,
      )
    ).n,
    grants: (
      await dbOne<{ n: number }>(
        "SELECT count(*) AS n FROM consent_events e JOIN customers c ON c.id = e.customer_id WHERE c.external_id LIKE ? AND e.source = 'import'",
        `imp-${tag}-%`,
      )
    ).n,
  };
  expect(imported.customers).toBe(rows - 12);
  // Odd rows said yes (with source and evidence), and no broken row is odd-numbered… 250·k is even.
  expect(imported.grants).toBe(rows / 2);

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download error report' }).click();
  const download = await downloadPromise;
  const report = fs.readFileSync((await download.path())!, 'utf8');
  const lines = report.trim().split('\n');
  expect(lines[0]).toBe('row,kind,field,message');
  expect(lines.filter((line) => line.includes('"error","email"'))).toHaveLength(12);
  // Row 251 of the file is data row 250 (the header is row 1); no address is echoed back.
  expect(report).toContain('"251","error","email"');
  expect(report).not.toContain('broken-250');
});
