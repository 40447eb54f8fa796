import { strToU8, zipSync } from 'fflate';
import { escapeHtml, ORG_NAME } from '@/lib/mail/templates/html';
import type { DataPackage } from './data-package';

/** RFC 4180 field; values starting with = + - @ get a leading quote so spreadsheets don't run them. */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]): string {
  return (
    [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}

function table(title: string, rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return `<h2>${escapeHtml(title)}</h2><p>—</p>`;
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td>${escapeHtml(typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : (r[c] ?? ''))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A readable summary of the package: the person can open it without any tool. */
export function summaryHtml(pkg: DataPackage): string {
  const p = pkg.profile;
  return `<!doctype html><html lang="${escapeHtml(p.locale)}"><head><meta charset="utf-8"><title>Your data · ${escapeHtml(ORG_NAME)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}</style></head><body>
<h1>Your data held by ${escapeHtml(ORG_NAME)}</h1>
<p>Generated ${escapeHtml(pkg.generatedAt)}. The same data is in data.json and the CSV files of this archive.</p>
${table('Profile', [{ name: p.name, email: p.email, externalId: p.externalId, locale: p.locale, timeZone: p.timeZone, status: p.status, createdAt: p.createdAt, attributes: p.attributes }], ['name', 'email', 'externalId', 'locale', 'timeZone', 'status', 'createdAt', 'attributes'])}
${table('Current consents', pkg.consents.current, ['purpose', 'theme', 'state', 'since'])}
${table('Consent history with evidence', pkg.consents.history, ['at', 'purpose', 'theme', 'action', 'state', 'source', 'noticeHash', 'evidence'])}
${table('Contact blocks', pkg.blocks, ['scope', 'channel', 'theme', 'reason', 'setAt', 'liftedAt'])}
${table('Journeys', pkg.journeys.enrollments, ['journey', 'state', 'enteredAt', 'endedAt'])}
${table('Automated decisions and their reasons', pkg.journeys.decisions, ['at', 'journey', 'step', 'outcome', 'reason'])}
${table('Messages', pkg.messages, ['createdAt', 'category', 'purpose', 'subject', 'status', 'sentAt'])}
${table('Purposes, legal bases and retention', pkg.purposes, ['name', 'legalBasis', 'retentionDays', 'retentionDuty', 'description'])}
${table('Recipients', pkg.recipients, ['name', 'purpose'])}
</body></html>`;
}

/** data.json, one CSV per section and summary.html in one zip. */
export function packageZip(pkg: DataPackage): Uint8Array {
  return zipSync({
    'data.json': strToU8(JSON.stringify(pkg, null, 2)),
    'summary.html': strToU8(summaryHtml(pkg)),
    'profile.csv': strToU8(
      toCsv(
        [{ ...pkg.profile }],
        ['id', 'externalId', 'email', 'name', 'locale', 'timeZone', 'status', 'createdAt', 'attributes'],
      ),
    ),
    'consents.csv': strToU8(
      toCsv(pkg.consents.history, [
        'eventId',
        'at',
        'purpose',
        'theme',
        'action',
        'state',
        'source',
        'noticeHash',
        'evidence',
      ]),
    ),
    'blocks.csv': strToU8(
      toCsv(pkg.blocks, ['id', 'scope', 'channel', 'theme', 'reason', 'setAt', 'liftedAt']),
    ),
    'decisions.csv': strToU8(toCsv(pkg.journeys.decisions, ['at', 'journey', 'step', 'outcome', 'reason'])),
    'messages.csv': strToU8(
      toCsv(pkg.messages, ['createdAt', 'category', 'purpose', 'theme', 'subject', 'status', 'sentAt']),
    ),
    'purposes.csv': strToU8(
      toCsv(pkg.purposes, ['key', 'name', 'legalBasis', 'retentionDays', 'retentionDuty', 'recipients']),
    ),
  });
}
