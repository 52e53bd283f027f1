/**
 * One pass over the subject's readings for the HTML report: energy per Finnish local day
 * and month, and totals per metering point and direction. Missing intervals (null) count
 * as readings but add no energy.
 */
import type { Direction } from '../reading.js';
import type { Quality } from '../validation/quality.js';
import { dayKey, helsinkiDayResolver, monthKey } from './helsinki-time.js';
import { type ReadingRun, readingRuns } from './reading-runs.js';
import type { ExportReading } from './types.js';

export interface DayTotal {
  /** `YYYY-MM-DD`, Finnish local date. */
  readonly day: string;
  readonly wh: number;
}

export interface MonthTotal {
  /** `YYYY-MM`, Finnish local month. */
  readonly month: string;
  /** null when the month has no non-missing reading in that direction. */
  readonly consumptionWh: number | null;
  readonly productionWh: number | null;
}

export interface SeriesTotal {
  readonly meteringPointId: string;
  readonly direction: Direction;
  readonly readings: number;
  readonly byQuality: Readonly<Record<Quality, number>>;
  readonly totalWh: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

export interface ReadingTotals {
  /** Every month from the first to the last with data, in order, gaps included. */
  readonly months: readonly MonthTotal[];
  /** The most recent days with data per direction, oldest first. */
  readonly recentDays: Readonly<Record<Direction, readonly DayTotal[]>>;
  /** Per metering point (in order of first appearance), consumption before production. */
  readonly series: readonly SeriesTotal[];
}

type MutableSeries = { -readonly [K in keyof SeriesTotal]: SeriesTotal[K] } & {
  byQuality: Record<Quality, number>;
};

function newSeries(r: ReadingRun): MutableSeries {
  const first = r.startMs[0] as number;
  return {
    meteringPointId: r.meteringPointId,
    direction: r.direction,
    readings: 0,
    byQuality: { measured: 0, estimated: 0, suspect: 0, missing: 0 },
    totalWh: 0,
    firstMs: first,
    lastMs: first,
  };
}

function monthsOf(days: Record<Direction, Map<number, number>>): MonthTotal[] {
  const sums = { consumption: new Map<string, number>(), production: new Map<string, number>() };
  for (const direction of ['consumption', 'production'] as const) {
    for (const [day, wh] of days[direction]) {
      const month = monthKey(day);
      sums[direction].set(month, (sums[direction].get(month) ?? 0) + wh);
    }
  }
  const keys = [...sums.consumption.keys(), ...sums.production.keys()].sort();
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];
  const months: MonthTotal[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    months.push({
      month,
      consumptionWh: sums.consumption.get(month) ?? null,
      productionWh: sums.production.get(month) ?? null,
    });
    if (month >= last) return months;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

function recent(days: Map<number, number>, count: number): DayTotal[] {
  return [...days.keys()]
    .sort((a, b) => a - b)
    .slice(-count)
    .map((day) => ({ day: dayKey(day), wh: days.get(day) ?? 0 }));
}

/**
 * Aggregates readings in one pass; days and months are Finnish local time.
 * @throws RangeError when a reading has a non-finite startMs or quantityWh.
 */
export function aggregateReadings(
  readings: readonly ExportReading[],
  recentDayCount = 60,
): ReadingTotals {
  return aggregateRuns(readingRuns(readings), recentDayCount);
}

/** `aggregateReadings` of readings given as runs (see ReadingRun). Never throws. */
export function aggregateRuns(runs: readonly ReadingRun[], recentDayCount = 60): ReadingTotals {
  const localDay = helsinkiDayResolver();
  const days = { consumption: new Map<number, number>(), production: new Map<number, number>() };
  const series = new Map<string, { consumption?: MutableSeries; production?: MutableSeries }>();
  let current: MutableSeries | undefined;
  // The running total of one local day of one direction, added to its map when either
  // changes (readings come in time order per series: one map update per day, not per reading).
  let runDay = Number.NaN;
  let runWh = 0;
  let runMap: Map<number, number> | undefined;
  const flush = () => {
    if (runMap !== undefined) runMap.set(runDay, (runMap.get(runDay) ?? 0) + runWh);
    runMap = undefined;
  };
  for (const run of runs) {
    if (run.length === 0) continue;
    if (current?.meteringPointId !== run.meteringPointId || current.direction !== run.direction) {
      let point = series.get(run.meteringPointId);
      if (point === undefined) {
        point = {};
        series.set(run.meteringPointId, point);
      }
      current = point[run.direction] ?? newSeries(run);
      point[run.direction] = current;
    }
    const s = current;
    const byDay = days[run.direction];
    const qualities = run.marks.map((m) => m.quality);
    const { startMs, wh, mark } = run;
    s.readings += run.length;
    for (let i = 0; i < run.length; i++) {
      const t = startMs[i] as number;
      s.byQuality[qualities[mark[i] as number] as Quality]++;
      if (t < s.firstMs) s.firstMs = t;
      if (t > s.lastMs) s.lastMs = t;
      const q = wh[i] as number;
      if (Number.isNaN(q)) continue;
      const day = localDay(t);
      s.totalWh += q;
      if (byDay !== runMap || day !== runDay) {
        flush();
        runMap = byDay;
        runDay = day;
        runWh = 0;
      }
      runWh += q;
    }
  }
  flush();
  return {
    months: monthsOf(days),
    recentDays: {
      consumption: recent(days.consumption, recentDayCount),
      production: recent(days.production, recentDayCount),
    },
    series: [...series.values()].flatMap((p) =>
      [p.consumption, p.production].filter((s): s is MutableSeries => s !== undefined),
    ),
  };
}
