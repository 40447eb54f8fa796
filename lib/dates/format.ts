/**
 * One date format for every staff page. In the browser, the staff member's own locale and time
 * zone (`locale`/`timeZone` left undefined); on the server, the Accept-Language locale in UTC with
 * the zone named, so the text without JavaScript is never ambiguous.
 */
export type DateStyle = 'datetime' | 'date' | 'time';

export interface DateFormatPlace {
  /** BCP 47 locale; undefined = the runtime's default (the browser's locale). */
  locale?: string;
  /** IANA time zone; undefined = the runtime's (the browser's) zone. */
  timeZone?: string;
  /** Append the zone's short name (e.g. "UTC"); used for the server's fallback text. */
  zoneName?: boolean;
}

const STYLES: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  date: { dateStyle: 'medium' },
  time: { timeStyle: 'medium' },
};

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(style: DateStyle, place: DateFormatPlace): Intl.DateTimeFormat {
  const key = `${style}|${place.locale ?? ''}|${place.timeZone ?? ''}|${place.zoneName ? 1 : 0}`;
  let found = cache.get(key);
  if (!found) {
    const base = STYLES[style];
    // dateStyle/timeStyle cannot be combined with timeZoneName; spell the same fields out instead.
    const options: Intl.DateTimeFormatOptions = place.zoneName
      ? {
          ...(style !== 'time' ? { year: 'numeric', month: 'short', day: 'numeric' } : {}),
          ...(style !== 'date'
            ? { hour: 'numeric', minute: '2-digit', ...(style === 'time' ? { second: '2-digit' } : {}) }
            : {}),
          timeZoneName: 'short',
        }
      : { ...base };
    found = new Intl.DateTimeFormat(place.locale, { ...options, timeZone: place.timeZone });
    cache.set(key, found);
  }
  return found;
}

export function formatDate(
  value: string | number | Date,
  style: DateStyle = 'datetime',
  place: DateFormatPlace = {},
): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '—';
  return formatter(style, place).format(date);
}

/** The staff member's own format (browser locale and zone). */
export function formatDateTime(value: string | number | Date): string {
  return formatDate(value, 'datetime');
}

export function formatTime(value: string | number | Date): string {
  return formatDate(value, 'time');
}

/** The server's fallback text: the given locale, in UTC, with "UTC" named. */
export function formatUtcFallback(value: string | number | Date, style: DateStyle, locale: string): string {
  return formatDate(value, style, { locale, timeZone: 'UTC', zoneName: style !== 'date' });
}

export const DEFAULT_DATE_LOCALE = 'en-GB';

/** The first supported locale of an Accept-Language header (by q), else DEFAULT_DATE_LOCALE. */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  if (!header) return DEFAULT_DATE_LOCALE;
  const ranked = header
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // Not a well-formed language tag: try the next one.
    }
  }
  return DEFAULT_DATE_LOCALE;
}
