/**
 * Timestamps as Dates: the pool the app and the worker share with drizzle hands them over as text
 * (drizzle's postgres.js driver turns the date parsers off), a pool of one's own as Dates.
 */
export function dateOf(value: Date | string): Date;
export function dateOf(value: Date | string | null): Date | null;
export function dateOf(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}
