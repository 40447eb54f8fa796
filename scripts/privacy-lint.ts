// `npm run privacy:lint`: runs the publish-time privacy rules (purposes, consent gates, the record
// of processing) over the live version and the draft of every journey that is not archived, and
// over the purposes, in the database DATABASE_URL names (SQLite or postgres://), so an operator can
// run it in their own CI.
//   --json    one JSON object per line per finding, then a summary line (for machines)
// Exit 0 when there are no errors (warnings only, or nothing), 1 on errors, 2 when it cannot run.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeDatabase } from '@/db/client';
import { appEnv, sqlitePathFromUrl } from '@/lib/config/env';
import { lintPrivacy, type PrivacyFinding } from '@/lib/journeys/privacy-lint';
import { describeCliError } from './lib/cli-error';

function line(finding: PrivacyFinding): string {
  const where =
    finding.journeyId === null
      ? 'purposes'
      : `${finding.journey} (#${finding.journeyId}), ${finding.version}`;
  const step = finding.step ? ` · ${finding.step}` : '';
  return `${finding.severity.padEnd(7)} ${where}${step} · ${finding.rule}: ${finding.message}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const url = appEnv().DATABASE_URL;
  if (url.startsWith('file:') && !fs.existsSync(sqlitePathFromUrl(url))) {
    console.error(`privacy:lint: no database at ${sqlitePathFromUrl(url)} (set DATABASE_URL)`);
    return 2;
  }
  const findings = await lintPrivacy();
  await closeDatabase();
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  for (const finding of findings) console.log(values.json ? JSON.stringify(finding) : line(finding));
  if (values.json) console.log(JSON.stringify({ ok: errors === 0, errors, warnings }));
  else
    console.log(
      `privacy:lint: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}.`,
    );
  return errors > 0 ? 1 : 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error('privacy:lint failed:', describeCliError(error));
    process.exit(2);
  });
