import { describe, expect, it } from 'vitest';
import { linkGone, linkNotFound } from './links';
import { invalidLinkPage, optInPage } from './pages';
import { csvField } from './export-files';
import { truncateIp, hashLinkToken, newLinkToken } from './crypto';

describe('customer pages', () => {
  it('escapes HTML in purpose, theme and notice text and never pre-ticks anything', () => {
    const page = optInPage({
      locale: 'de',
      purposeName: '<img src=x onerror=alert(1)>',
      purposeDescription: "Robert'); DROP TABLE customers;--",
      themes: [{ name: '<b>bold</b>', description: '"quoted"' }],
      noticeText: '<script>alert("notice")</script>',
      noticeVersion: 2,
      retentionDays: 730,
    });
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(/<script>alert/);
    expect(page.html).not.toContain('<img src=x');
    expect(page.html).toContain('&lt;script&gt;alert(&quot;notice&quot;)&lt;/script&gt;');
    expect(page.html).toContain('DROP TABLE customers;--');
    expect(page.html).not.toContain('checked');
    expect(page.html).toContain('lang="de"');
    expect(page.html).toContain('Ja, ich bestätige');
  });

  it('gives unknown and used links the same page, only the status differs', () => {
    const a = invalidLinkPage(linkNotFound().error);
    const b = invalidLinkPage(linkGone().error);
    expect(a.html).toBe(b.html);
    expect([a.status, b.status]).toEqual([404, 410]);
  });

  it('neutralises spreadsheet formulas and quotes in CSV exports', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('a,b')).toBe('"a,b"');
  });

  it('truncates IPs and accepts only well-formed 256-bit tokens', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('::ffff:10.1.2.3')).toBe('10.1.2.0');
    expect(truncateIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    const { raw, hash } = newLinkToken();
    expect(raw).toHaveLength(43);
    expect(hashLinkToken(raw)).toBe(hash);
    expect(hashLinkToken(raw.slice(1))).toBeNull();
    expect(hashLinkToken(`${raw.slice(0, 42)}'`)).toBeNull();
  });
});
