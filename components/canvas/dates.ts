/** One date format for the canvas pages, in the staff member's own (browser) locale. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function formatDateTime(value: string | number | Date): string {
  return dateTime.format(new Date(value));
}

export function formatTime(value: string | number | Date): string {
  return timeOnly.format(new Date(value));
}
