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

function newSeries(r: ReadingRun, from: number): MutableSeries {
  const first = r.startMs[from] as number;
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
  const totals = new RunsAggregator();
  for (const run of runs) totals.add(run, 0, run.length);
  return totals.totals(recentDayCount);
}

/**
 * `aggregateRuns` fed a slice of a run at a time, in order (as the export's readings
 * arrive), and aggregators of consecutive slices of the readings joined into one. Joined
 * sums are exact for whole watt-hours (what the export reads), as sums in another order.
 */
export class RunsAggregator {
  private readonly localDay = helsinkiDayResolver();
  private readonly days = {
    consumption: new Map<number, number>(),
    production: new Map<number, number>(),
  };
  private readonly series = new Map<
    string,
    { consumption?: MutableSeries; production?: MutableSeries }
  >();
  private current: MutableSeries | undefined;
  // The running total of one local day of one direction, added to its map when either
  // changes (readings come in time order per series: one map update per day, not per reading).
  private runDay = Number.NaN;
  private runWh = 0;
  private runMap: Map<number, number> | undefined;

  private flush(): void {
    const runMap = this.runMap;
    if (runMap !== undefined) runMap.set(this.runDay, (runMap.get(this.runDay) ?? 0) + this.runWh);
    this.runMap = undefined;
  }

  /** Adds readings `from` (inclusive) `to` (exclusive) of `run`. Never throws. */
  add(run: ReadingRun, from: number, to: number): void {
    if (to <= from) return;
    let current = this.current;
    if (current?.meteringPointId !== run.meteringPointId || current.direction !== run.direction) {
      let point = this.series.get(run.meteringPointId);
      if (point === undefined) {
        point = {};
        this.series.set(run.meteringPointId, point);
      }
      current = point[run.direction] ?? newSeries(run, from);
      point[run.direction] = current;
      this.current = current;
    }
    const s = current;
    const byDay = this.days[run.direction];
    const { startMs, wh, mark } = run;
    const localDay = this.localDay;
    let { runDay, runWh, runMap } = this;
    s.readings += to - from;
    // Counted per mark of the run, added to the qualities' counts after the loop; the
    // series' figures in locals: no keyed property update per reading.
    const perMark = new Float64Array(run.marks.length);
    let firstMs = s.firstMs;
    let lastMs = s.lastMs;
    let totalWh = s.totalWh;
    for (let i = from; i < to; i++) {
      const t = startMs[i] as number;
      const k = mark[i] as number;
      perMark[k] = (perMark[k] as number) + 1;
      if (t < firstMs) firstMs = t;
      if (t > lastMs) lastMs = t;
      const q = wh[i] as number;
      if (Number.isNaN(q)) continue;
      const day = localDay(t);
      totalWh += q;
      if (byDay !== runMap || day !== runDay) {
        this.runDay = runDay;
        this.runWh = runWh;
        this.runMap = runMap;
        this.flush();
        runMap = byDay;
        runDay = day;
        runWh = 0;
      }
      runWh += q;
    }
    s.firstMs = firstMs;
    s.lastMs = lastMs;
    s.totalWh = totalWh;
    run.marks.forEach((m, k) => {
      s.byQuality[m.quality] += perMark[k] as number;
    });
    this.runDay = runDay;
    this.runWh = runWh;
    this.runMap = runMap;
  }

  /**
   * One aggregator of the readings of `parts`, consecutive slices in order (the series in
   * order of first appearance across them). The parts are not to be used after.
   */
  static joined(parts: readonly RunsAggregator[]): RunsAggregator {
    const out = new RunsAggregator();
    for (const part of parts) {
      part.flush();
      for (const direction of ['consumption', 'production'] as const) {
        const days = out.days[direction];
        for (const [day, wh] of part.days[direction]) days.set(day, (days.get(day) ?? 0) + wh);
      }
      for (const [meteringPointId, point] of part.series) {
        let mine = out.series.get(meteringPointId);
        if (mine === undefined) {
          mine = {};
          out.series.set(meteringPointId, mine);
        }
        for (const direction of ['consumption', 'production'] as const) {
          const s = point[direction];
          if (s === undefined) continue;
          const m = mine[direction];
          if (m === undefined) {
            mine[direction] = { ...s, byQuality: { ...s.byQuality } };
            continue;
          }
          m.readings += s.readings;
          for (const q of Object.keys(s.byQuality) as Quality[]) m.byQuality[q] += s.byQuality[q];
          m.totalWh += s.totalWh;
          m.firstMs = Math.min(m.firstMs, s.firstMs);
          m.lastMs = Math.max(m.lastMs, s.lastMs);
        }
      }
    }
    return out;
  }

  /** The totals of the readings added (or joined). */
  totals(recentDayCount = 60): ReadingTotals {
    this.flush();
    const days = this.days;
    return {
      months: monthsOf(days),
      recentDays: {
        consumption: recent(days.consumption, recentDayCount),
        production: recent(days.production, recentDayCount),
      },
      series: [...this.series.values()].flatMap((p) =>
        [p.consumption, p.production].filter((s): s is MutableSeries => s !== undefined),
      ),
    };
  }
}
