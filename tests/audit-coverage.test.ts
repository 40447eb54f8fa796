import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { networkOf } from '@/lib/operations/http-observer';

/**
 * Every staff action and every API write reaches the audit log: a write whose caller is known
 * (a staff session or an API key) and that recorded no named entry of its own gets a generic one
 * (lib/operations/http-observer). So every write route must authenticate its caller through
 * apiRoute or staffRoute, and every server action must check the staff session first, unless it
 * is a customer page or sign-in (listed with the reason; consent changes there go to the ledger).
 */

const CUSTOMER_OR_SIGN_IN: Record<string, string> = {
  'app/optin/[token]/route.ts': 'customer confirms by link token; ledger event',
  'app/unsubscribe/[token]/route.ts': 'customer withdraws by link token; ledger event',
  'app/preferences/[token]/route.ts': 'customer preferences by link token; ledger events',
  'app/verify-request/[token]/route.ts': 'customer confirms a privacy request; the request records it',
  'app/api/v1/subscribe/route.ts': 'public sign-up form; ledger event',
  'app/api/auth/[...nextauth]/route.ts': 'sign-in and sign-out (login records user.login)',
  'app/api/auth/login/route.ts': 'the sign-in form (login records user.login)',
  'app/api/auth/sso/route.ts':
    'single sign-on: hands the form on to the provider (sign-in records user.login)',
  'app/api/v1/deliverability/[provider]/route.ts':
    'bounce reports from the mail provider (shared secret); blocks keep evidence',
};

function files(dir: string, match: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, match);
    return match(full) ? [full] : [];
  });
}

describe('audit coverage', () => {
  it('every write route authenticates its caller (so the write is audited) or is a customer route', () => {
    const routes = files('app', (file) => file.endsWith('route.ts'));
    const writes: string[] = [];
    for (const file of routes) {
      const text = fs.readFileSync(file, 'utf8');
      const methods = [...text.matchAll(/export (?:const|async function) (POST|PUT|PATCH|DELETE)\b/g)].map(
        (match) => match[1],
      );
      if (/export \{[^}]*\bas (POST|PUT|PATCH|DELETE)\b/.test(text)) methods.push('POST');
      if (methods.length === 0) continue;
      writes.push(file);
      if (CUSTOMER_OR_SIGN_IN[file]) continue;
      for (const method of methods)
        expect(text, `${file} ${method}`).toMatch(
          new RegExp(`export const ${method} = (apiRoute|staffRoute)`),
        );
    }
    expect(writes.length).toBeGreaterThan(20);
    for (const listed of Object.keys(CUSTOMER_OR_SIGN_IN)) expect(writes).toContain(listed);
  });

  it('every server action checks the staff session before it acts', () => {
    const actions = files('app', (file) => /\.tsx?$/.test(file)).filter((file) =>
      /^['"]use server['"]/m.test(fs.readFileSync(file, 'utf8')),
    );
    expect(actions.length).toBeGreaterThan(5);
    for (const file of actions) {
      const chunks = fs
        .readFileSync(file, 'utf8')
        .split(/(?=export async function )/)
        .slice(1);
      for (const chunk of chunks) {
        const name = /export async function (\w+)/.exec(chunk)?.[1];
        const body = chunk.split(/\n}\n/)[0];
        expect(body, `${file} ${name}`).toMatch(/require(Permission|Staff)\(|await \w+Action\(/);
      }
    }
  });

  it('records where from as a network, not an address', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('unknown')).toBeUndefined();
  });
});
