import { describe, expect, it } from 'vitest';
import { countsFor } from './counts';
import { csvField } from './csv';
import { customerListHref, filtersToQuery, parseCustomerListParams, parseDashboardFilters } from './filters';
import { formatDuration, median, summariseFunnel } from './funnel';
import { toDailySeries } from './insights';

describe('mission control helpers', () => {
  it('derives not-asked and clamps it at zero', () => {
    const rows = [
      { purposeId: 1, themeKey: '', state: 'granted' as const, count: 3 },
      { purposeId: 1, themeKey: '', state: 'pending' as const, count: 2 },
      { purposeId: 1, themeKey: 'x', state: 'granted' as const, count: 9 },
    ];
    expect(countsFor(rows, 1, '', 10)).toMatchObject({ 'not-asked': 5, granted: 3, pending: 2 });
    expect(countsFor(rows, 1, 'x', 4)['not-asked']).toBe(0);
  });

  it('computes the median and the funnel', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const funnel = summariseFunnel([
      // Person 1 confirms a purpose and one theme at once: one confirmation.
      { customerId: 1, purposeId: 1, requestId: 1, requestedAt: 0, nextAction: 'grant', nextAt: 10 },
      { customerId: 1, purposeId: 1, requestId: 2, requestedAt: 0, nextAction: 'grant', nextAt: 10 },
      { customerId: 2, purposeId: 1, requestId: 3, requestedAt: 0, nextAction: null, nextAt: null },
      { customerId: 3, purposeId: 1, requestId: 4, requestedAt: 0, nextAction: 'withdraw', nextAt: 5 },
      // Person 4's first link expired, the second was confirmed: the latest request decides.
      { customerId: 4, purposeId: 1, requestId: 5, requestedAt: 0, nextAction: 'expire', nextAt: 72 },
      { customerId: 4, purposeId: 1, requestId: 6, requestedAt: 100, nextAction: 'grant', nextAt: 130 },
      // Another purpose of person 1 counts on its own.
      { customerId: 1, purposeId: 2, requestId: 7, requestedAt: 0, nextAction: 'expire', nextAt: 72 },
    ]);
    expect(funnel).toMatchObject({
      requested: 5,
      confirmed: 2,
      stillPending: 1,
      expired: 2,
      medianMsToConfirm: 20,
    });
    expect(funnel.requested).toBe(funnel.confirmed + funnel.expired + funnel.stillPending);
    expect(formatDuration(90 * 60_000)).toBe('1.5 h');
  });

  it('keeps filters in the URL and ignores malformed values', () => {
    expect(parseDashboardFilters(new URLSearchParams('purpose=newsletter&theme=recipes&period=7d'))).toEqual({
      purpose: 'newsletter',
      theme: 'recipes',
      period: '7d',
    });
    expect(parseDashboardFilters({ purpose: "x' or 1=1", period: '9y' })).toEqual({
      purpose: undefined,
      theme: undefined,
      period: '30d',
    });
    expect(filtersToQuery({ purpose: 'newsletter', period: '30d' })).toBe('?purpose=newsletter');
    const href = customerListHref({ purpose: 'newsletter', state: 'pending', blocked: true });
    expect(href).toBe('/customers?purpose=newsletter&state=pending&blocked=1');
    expect(parseCustomerListParams(new URLSearchParams(href.split('?')[1]))).toMatchObject({
      purpose: 'newsletter',
      state: 'pending',
      blocked: true,
    });
    expect(parseCustomerListParams({ state: 'bogus', after: '-3' })).toMatchObject({
      state: undefined,
      after: undefined,
    });
  });

  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
  });

  it('fills days without changes with zeros', () => {
    const from = new Date('2026-01-01T12:00:00Z');
    const to = new Date('2026-01-03T12:00:00Z');
    const series = toDailySeries(
      [{ day: Date.parse('2026-01-02T00:00:00Z'), action: 'grant', count: 4 }],
      from,
      to,
    );
    expect(series.map((p) => p.day)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(series[1]!.grant).toBe(4);
  });
});
