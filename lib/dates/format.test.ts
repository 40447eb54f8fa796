import { describe, expect, it } from 'vitest';
import { DEFAULT_DATE_LOCALE, formatDate, formatUtcFallback, localeFromAcceptLanguage } from './format';

const at = new Date('2026-12-07T09:05:30Z');

describe('formatUtcFallback (the server text, before JavaScript)', () => {
  it('writes the staff member’s locale in UTC and names the zone', () => {
    expect(formatUtcFallback(at, 'datetime', 'en-US')).toBe('Dec 7, 2026, 9:05 AM UTC');
    expect(formatUtcFallback(at, 'datetime', 'en-GB')).toBe('7 Dec 2026, 09:05 UTC');
    expect(formatUtcFallback(at, 'datetime', 'de-DE')).toBe('7. Dez. 2026, 09:05 UTC');
    expect(formatUtcFallback(at, 'time', 'en-GB')).toBe('9:05:30 UTC');
  });
  it('writes a date alone without a zone', () => {
    expect(formatUtcFallback(at, 'date', 'en-US')).toBe('Dec 7, 2026');
  });
});

describe('formatDate (the browser text)', () => {
  it('uses the given zone and locale; the default is the runtime’s', () => {
    expect(formatDate(at, 'datetime', { locale: 'en-US', timeZone: 'America/New_York' })).toBe(
      'Dec 7, 2026, 4:05 AM',
    );
    expect(formatDate(at.toISOString(), 'date', { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe(
      '7 Dec 2026',
    );
    expect(formatDate('not a date')).toBe('—');
  });
});

describe('localeFromAcceptLanguage', () => {
  it('takes the best-weighted valid tag, else the default', () => {
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(localeFromAcceptLanguage('en;q=0.5, fi-FI;q=0.9')).toBe('fi-FI');
    expect(localeFromAcceptLanguage('*')).toBe(DEFAULT_DATE_LOCALE);
    expect(localeFromAcceptLanguage('not_a tag!!, en-US;q=0.1')).toBe('en-US');
    expect(localeFromAcceptLanguage('fr;q=0')).toBe(DEFAULT_DATE_LOCALE);
    expect(localeFromAcceptLanguage(null)).toBe(DEFAULT_DATE_LOCALE);
  });
});
