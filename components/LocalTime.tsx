'use client';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { DEFAULT_DATE_LOCALE, formatDate, formatUtcFallback, type DateStyle } from '@/lib/dates/format';

/** The staff member's Accept-Language locale, for the server-rendered (no-JavaScript) text. */
const FallbackLocale = createContext<string>(DEFAULT_DATE_LOCALE);

export function DateLocaleProvider({ locale, children }: { locale: string; children: React.ReactNode }) {
  return <FallbackLocale.Provider value={locale}>{children}</FallbackLocale.Provider>;
}

const subscribe = () => () => {};

/** True in the browser after hydration; false on the server and during hydration. */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * A date or time in the staff member's locale and time zone. The server (and the first render in
 * the browser) writes it in the Accept-Language locale in UTC, with "UTC" named, so it works
 * without JavaScript and hydrates without a mismatch; the browser then shows its own zone.
 */
export function LocalTime({
  iso,
  style = 'datetime',
  className,
}: {
  iso: string | Date | null | undefined;
  style?: DateStyle;
  className?: string;
}) {
  const locale = useContext(FallbackLocale);
  const inBrowser = useInBrowser();
  if (iso === null || iso === undefined) return <>—</>;
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return <>—</>;
  const text = inBrowser ? formatDate(date, style) : formatUtcFallback(date, style, locale);
  return (
    <time
      dateTime={date.toISOString()}
      className={className}
      title={inBrowser ? formatUtcFallback(date, 'datetime', locale) : undefined}
    >
      {text}
    </time>
  );
}
