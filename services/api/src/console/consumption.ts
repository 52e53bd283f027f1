import type { ExportReading } from '@lukema/core';

const LOCAL_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Helsinki',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export interface Totals {
  /** kWh per Finnish calendar day (`YYYY-MM-DD`), oldest first. */
  readonly byDay: ReadonlyArray<readonly [string, number]>;
  /** kWh per Finnish calendar month (`YYYY-MM`), oldest first. */
  readonly byMonth: ReadonlyArray<readonly [string, number]>;
}

/**
 * Daily and monthly totals of one direction (consumption or production), in Finnish
 * calendar days as the customer's bills count them. Missing values count as nothing.
 */
export function totalsOf(readings: readonly ExportReading[], direction: string): Totals {
  const days = new Map<string, number>();
  for (const r of readings) {
    if (r.direction !== direction || r.quantityWh === null) continue;
    const day = LOCAL_DATE.format(new Date(r.startMs));
    days.set(day, (days.get(day) ?? 0) + r.quantityWh);
  }
  const months = new Map<string, number>();
  for (const [day, wh] of days)
    months.set(day.slice(0, 7), (months.get(day.slice(0, 7)) ?? 0) + wh);
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, wh]) => [k, wh / 1000] as const);
  return { byDay: sorted(days), byMonth: sorted(months) };
}
