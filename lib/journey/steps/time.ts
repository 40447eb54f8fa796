/**
 * Local-time arithmetic in a customer's IANA time zone, using only Intl (no tz database of our own).
 * Waits and quiet hours are stored as absolute instants (run_at); this turns "08:00 in Helsinki"
 * into such an instant.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** A time zone Intl accepts; customers imported with a bad one are treated as UTC. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    formatterFor(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(safeTimeZone(timeZone)).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Offset of the zone from UTC at that instant, in ms (Helsinki in summer: +3 h). */
function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local wall-clock time happens; a time skipped by DST lands just after the gap. */
function instantOfLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Two rounds settle the offset across a DST change.
  let guess = wall - offsetMs(new Date(wall), timeZone);
  guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

export function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const [hour, minute] = text.split(':').map(Number);
  return { hour, minute };
}

/** The next instant strictly after `from` when the customer's clock shows `time` (HH:MM). */
export function nextLocalTime(from: Date, time: string, timeZone: string): Date {
  const { hour, minute } = parseTimeOfDay(time);
  const today = localParts(from, timeZone);
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const candidate = instantOfLocal(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      hour,
      minute,
      timeZone,
    );
    if (candidate.getTime() > from.getTime()) return candidate;
  }
  throw new Error(`no next local time for ${time} in ${timeZone}`);
}

/**
 * When quiet hours hold a message sent at `at`: the end of the quiet window, or undefined when
 * `at` falls outside it. A window may span midnight (21:00–08:00).
 */
export function quietHoursEnd(
  at: Date,
  window: { start: string; end: string },
  timeZone: string,
): Date | undefined {
  const local = localParts(at, timeZone);
  const minuteOfDay = local.hour * 60 + local.minute;
  const start = parseTimeOfDay(window.start);
  const end = parseTimeOfDay(window.end);
  const startMinute = start.hour * 60 + start.minute;
  const endMinute = end.hour * 60 + end.minute;
  if (startMinute === endMinute) return undefined;
  const inside =
    startMinute < endMinute
      ? minuteOfDay >= startMinute && minuteOfDay < endMinute
      : minuteOfDay >= startMinute || minuteOfDay < endMinute;
  return inside ? nextLocalTime(at, window.end, timeZone) : undefined;
}

// toLocaleDateString builds a formatter per call; reasons are written for every transition.
const dayMonth = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

// Reasons name the same few days over and over; Intl formatting is the costly part (measured).
const humanDates = new Map<number, string>();

/** "3 May 2026" — how reasons name a day. */
export function humanDate(date: Date): string {
  const day = Math.floor(date.getTime() / 86_400_000);
  let text = humanDates.get(day);
  if (text === undefined) {
    text = dayMonth.format(date);
    if (humanDates.size >= 1000) humanDates.clear();
    humanDates.set(day, text);
  }
  return text;
}
