import { helsinkiMonthStart, nextHelsinkiMonth } from '../rollups/area-rollup.js';
import { HOUR_MS, helsinkiDayStart, nextHelsinkiDay } from '../rollups/rollup.js';
import { type Granularity, periodLabel } from './helsinki-time.js';

/**
 * The fixed period grid of analytics queries: `from` and `to` lie on Europe/Helsinki
 * boundaries of the answer's period (hour, day or month; the load profile: whole local
 * months). Two answers on the grid differ by whole periods, each of which is a group the
 * rule judges, so no part of a period can be had by subtracting one answer from another
 * (November 1–16 minus November 1–15 as months would give one day).
 */
export type GridUnit = Granularity;

/** The start of the local period of `unit` holding `ms`. */
export function periodStart(ms: number, unit: GridUnit): number {
  if (unit === 'hour') return ms - (((ms % HOUR_MS) + HOUR_MS) % HOUR_MS);
  return unit === 'day' ? helsinkiDayStart(ms) : helsinkiMonthStart(ms);
}

/** The start of the local period after the one starting at `startMs`. */
export function nextPeriodStart(startMs: number, unit: GridUnit): number {
  if (unit === 'hour') return startMs + HOUR_MS;
  return unit === 'day' ? nextHelsinkiDay(startMs) : nextHelsinkiMonth(startMs);
}

/** The local midnight starting a calendar date `YYYY-MM-DD` in Helsinki. */
export function helsinkiDateStart(ymd: string): number {
  const [y, m, d] = ymd.split('-').map(Number);
  // 22:00 UTC the day before is 00:00 (EET) or 01:00 (EEST) on the date: its day start is it.
  return helsinkiDayStart(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - 2 * HOUR_MS);
}

/** The grid boundary nearest to `ms` (the earlier one on a tie). */
function nearestBoundary(ms: number, unit: GridUnit): number {
  const start = periodStart(ms, unit);
  const next = nextPeriodStart(start, unit);
  return ms - start <= next - ms ? start : next;
}

/**
 * Undefined when the window lies on the grid of `unit`; else the problem, naming the nearest
 * aligned window (each bound to its nearest boundary, at least one period long) in local time.
 */
export function offGrid(
  fromMs: number,
  toMs: number,
  unit: GridUnit,
): { problem: string; from: string; to: string } | undefined {
  const fromStart = periodStart(fromMs, unit);
  const toStart = periodStart(toMs, unit);
  if (fromStart === fromMs && toStart === toMs) return undefined;
  const fromAligned = nearestBoundary(fromMs, unit);
  const toAligned = Math.max(nearestBoundary(toMs, unit), nextPeriodStart(fromAligned, unit));
  const from = periodLabel(fromAligned, 'hour');
  const to = periodLabel(toAligned, 'hour');
  return {
    problem: `from and to must lie on Europe/Helsinki ${unit} boundaries (a fixed period grid, so that answers cannot be subtracted into part of a period); the nearest aligned window is from=${from} to=${to}`,
    from,
    to,
  };
}
