/**
 * Finnish local time for analytics: days, months and hours are cut at Europe/Helsinki
 * boundaries (a DST day has 23 or 25 hours) and labelled by their start.
 */
export const ANALYTICS_ZONE = 'Europe/Helsinki';

export type Granularity = 'hour' | 'day' | 'month';

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ANALYTICS_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
});

interface LocalParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: number;
  readonly weekday: string;
  /** Minutes east of UTC at that instant (120 or 180 in Finland). */
  readonly offsetMinutes: number;
}

/** The Helsinki wall-clock parts of an instant. */
export function helsinkiParts(ms: number): LocalParts {
  const p: Record<string, string> = {};
  for (const part of PARTS.formatToParts(new Date(ms))) p[part.type] = part.value;
  const year = p.year ?? '0000';
  const month = p.month ?? '01';
  const day = p.day ?? '01';
  const hour = Number(p.hour ?? '0');
  const minute = Number(p.minute ?? '0');
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), hour, minute);
  const offsetMinutes = Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
  return { year, month, day, hour, weekday: p.weekday ?? 'Mon', offsetMinutes };
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/**
 * The label of the local period that starts at `startMs`: `2026-11-28` for a day, `2026-11`
 * for a month, `2026-11-28T14:00+02:00` for an hour (the offset tells apart the two 03:00
 * hours of the October DST change).
 */
export function periodLabel(startMs: number, granularity: Granularity): string {
  const p = helsinkiParts(startMs);
  if (granularity === 'month') return `${p.year}-${p.month}`;
  if (granularity === 'day') return `${p.year}-${p.month}-${p.day}`;
  const sign = p.offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(p.offsetMinutes / 60))}:${pad(p.offsetMinutes % 60)}`;
  return `${p.year}-${p.month}-${p.day}T${pad(p.hour)}:00${offset}`;
}

/** The local hour of day (0–23) and whether the local day is a Saturday or Sunday. */
export function hourOfDay(ms: number): { hour: number; weekend: boolean } {
  const p = helsinkiParts(ms);
  return { hour: p.hour, weekend: p.weekday === 'Sat' || p.weekday === 'Sun' };
}
