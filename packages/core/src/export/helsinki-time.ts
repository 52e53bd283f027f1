/**
 * Finnish local calendar days for grouping readings. Intl is slow per call, so the offset
 * is looked up once per UTC day and reused; only on the two days a year when the clocks
 * change is it looked up per hour. Finland changes at 01:00 UTC, on an hour boundary.
 */
import { DAY_MS } from './format.js';

const HOUR_MS = 3_600_000;

const HELSINKI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Helsinki',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** Offset of Helsinki time from UTC at an instant, in ms (2 h in winter, 3 h in summer). */
export function helsinkiOffsetMs(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of HELSINKI.formatToParts(utcMs)) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
  return asUtc - Math.floor(utcMs / 60_000) * 60_000;
}

/** Offsets for one UTC day: one number when constant, else one per UTC hour. */
type DayOffsets = number | readonly number[];

function offsetsOfUtcDay(day: number): DayOffsets {
  const start = day * DAY_MS;
  const first = helsinkiOffsetMs(start);
  if (helsinkiOffsetMs(start + DAY_MS - 1) === first) return first;
  return Array.from({ length: 24 }, (_, h) => helsinkiOffsetMs(start + h * HOUR_MS));
}

/**
 * Offsets per UTC day, for the whole process: a day's offsets do not change while it runs
 * (two Intl lookups a day cost an export of six years ~20 ms each time). Bounded by the
 * days read (~20,000 since 1970); cleared past 100,000.
 */
const DAY_OFFSETS = new Map<number, DayOffsets>();

/**
 * Returns a function that maps UTC epoch ms to the Finnish local day number (days since
 * 1970-01-01 in Helsinki time). Offsets are looked up once per UTC day and cached. The
 * function throws RangeError for a non-finite instant.
 */
export function helsinkiDayResolver(): (utcMs: number) => number {
  const cache = DAY_OFFSETS;
  let lastDay = Number.NaN;
  let last: DayOffsets = 0;
  return (utcMs: number): number => {
    const day = Math.floor(utcMs / DAY_MS);
    if (day !== lastDay) {
      if (!Number.isFinite(utcMs)) throw new RangeError(`not a finite instant: ${utcMs}`);
      let offsets = cache.get(day);
      if (offsets === undefined) {
        offsets = offsetsOfUtcDay(day);
        if (cache.size > 100_000) cache.clear();
        cache.set(day, offsets);
      }
      lastDay = day;
      last = offsets;
    }
    const offset =
      typeof last === 'number' ? last : (last[Math.floor((utcMs - day * DAY_MS) / HOUR_MS)] ?? 0);
    return Math.floor((utcMs + offset) / DAY_MS);
  };
}

/** `YYYY-MM-DD` of a local day number. */
export function dayKey(localDay: number): string {
  return new Date(localDay * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM` of a local day number. */
export function monthKey(localDay: number): string {
  return new Date(localDay * DAY_MS).toISOString().slice(0, 7);
}
