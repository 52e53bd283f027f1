import {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  AREA_PROFILE_CELLS_MEASUREMENT,
  areaRollupLine,
  DAILY_MEASUREMENT,
  HOUR_MS,
  HOURLY_MEASUREMENT,
  helsinkiDayStart,
  helsinkiMonthStart,
  LEGACY_AREA_PROFILE_MEASUREMENT,
  nextHelsinkiDay,
  nextHelsinkiMonth,
  type RollupPoint,
  rollupAreas,
  rollupDays,
  rollupHours,
  rollupLine,
  withAreas,
} from '@lukema/core';
import {
  type DirtyHoursLedger,
  type Lease,
  type LineWriter,
  type Logger,
  profileMonthLineOf,
  type ReadingsReader,
  type RollupStore,
  type SeriesOwnership,
  type UnownedSeries,
} from '@lukema/platform';
import { RollupBusyError, runLease } from './run-lease.js';

export interface RollupRunnerOptions {
  readonly store: RollupStore & LineWriter & Pick<ReadingsReader, 'areaProfile'>;
  readonly ledger: DirtyHoursLedger;
  /**
   * Each series' customer, so the area rollups count distinct customers, and its area (the
   * raw series carry none): the registry.
   */
  readonly owners: Pick<SeriesOwnership, 'customersOfPseudonyms' | 'areasOfPseudonyms'>;
  /**
   * Where series without an owner are noted, so that aggregates for marketing and market
   * research leave them out of the per-area rollups too (see ObjectionFilter.objectors).
   */
  readonly unowned?: Pick<UnownedSeries, 'note'>;
  /** The readings bucket (source) and the rollups bucket (target). */
  readonly readingsBucket: string;
  readonly rollupBucket: string;
  readonly logger: Logger;
  /** Hours taken from the ledger per run (a week by default). */
  readonly hoursPerRun?: number;
  /** Marks younger than this are left for a later run (a write may still be landing). */
  readonly settleMs?: number;
  /**
   * The lease every run and backfill writes under (see runLease); without one the caller
   * makes sure it runs alone (tests).
   */
  readonly lease?: Lease;
  /**
   * How long the lease lasts unless renewed (two minutes by default: the third a run keeps
   * to spare, 40 s, outlasts an InfluxDB request's 30 s timeout).
   */
  readonly leaseMs?: number;
}

export interface RunResult {
  readonly hours: number;
  readonly days: number;
  readonly hourlyPoints: number;
  readonly dailyPoints: number;
}

const WRITE_LINES = 5000;
/** Contiguous hours read in one query. */
const MAX_SPAN_HOURS = 24;

/** Contiguous runs of sorted hours, at most MAX_SPAN_HOURS each: `[start, stop)`. */
export function hourRuns(hoursMs: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(hoursMs)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const h of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === h && (last[1] - last[0]) / HOUR_MS < MAX_SPAN_HOURS)
      last[1] = h + HOUR_MS;
    else runs.push([h, h + HOUR_MS]);
  }
  return runs;
}

/**
 * Re-aggregates the hours the ledger marks (and the Finnish local days holding them) from
 * the stored readings, replacing the rollup points of exactly those windows, then clears the
 * marks it took. Idempotent: a run interrupted anywhere leaves its marks, and the next run
 * recomputes the same windows and writes the same points (same series, same time), so
 * nothing is counted twice. A mark set again while a run works is kept for the next one.
 */
export function createRollupRunner(options: RollupRunnerOptions) {
  const log = options.logger.child({ component: 'rollup-runner' });
  const { store, ledger, readingsBucket, rollupBucket } = options;
  const lease = runLease(options.lease, options.leaseMs ?? 120_000);

  async function replaceLines(measurement: string, fromMs: number, toMs: number, lines: string[]) {
    // A series that no longer has readings in the window (moved, erased) must lose its point.
    lease.check();
    await store.deleteRollups(rollupBucket, measurement, fromMs, toMs);
    for (let i = 0; i < lines.length; i += WRITE_LINES) {
      lease.check();
      await store.writeLines(rollupBucket, lines.slice(i, i + WRITE_LINES));
    }
  }

  /**
   * Replaces the per-series points of a window, then the per-area points computed from
   * them (the same points, so an area is always the sum of its series).
   */
  async function replace(
    measurement: string,
    areaMeasurement: string,
    fromMs: number,
    toMs: number,
    points: RollupPoint[],
  ) {
    const lines = points.map((p) => rollupLine(measurement, p));
    await replaceLines(measurement, fromMs, toMs, lines);
    const customers = await options.owners.customersOfPseudonyms(points.map((p) => p.pseudonym));
    // The ObjectionFilter's owner keys: series of one customer count once; a series the
    // registry does not know counts as its own, and is noted for the objection purposes
    // (which leave it out: nobody can say whether its owner objected).
    const ownerOf = (p: string) => {
      const c = customers.get(p);
      return c === undefined ? `series:${p}` : `customer:${c}`;
    };
    const unowned = new Set(
      points.flatMap((p) => (customers.has(p.pseudonym) ? [] : [p.pseudonym])),
    );
    if (unowned.size > 0) await options.unowned?.note(unowned);
    const areaLines = rollupAreas(points, ownerOf).map((a) => areaRollupLine(areaMeasurement, a));
    await replaceLines(areaMeasurement, fromMs, toMs, areaLines);
  }

  /** Re-aggregates these hours and the local days holding them. */
  async function rollUp(hoursMs: readonly number[]): Promise<RunResult> {
    let hourlyPoints = 0;
    let dailyPoints = 0;
    for (const [fromMs, toMs] of hourRuns(hoursMs)) {
      const readings = await store.readingsInRange(readingsBucket, fromMs, toMs);
      const areas = await options.owners.areasOfPseudonyms(readings.map((r) => r.pseudonym));
      const points = rollupHours(withAreas(readings, areas));
      await replace(HOURLY_MEASUREMENT, AREA_HOURLY_MEASUREMENT, fromMs, toMs, points);
      hourlyPoints += points.length;
    }
    const days = [...new Set(hoursMs.map((h) => helsinkiDayStart(h)))].sort((a, b) => a - b);
    for (const dayMs of days) {
      const next = nextHelsinkiDay(dayMs);
      const hours = await store.rollupsInRange(rollupBucket, HOURLY_MEASUREMENT, dayMs, next);
      const points = rollupDays(hours);
      await replace(DAILY_MEASUREMENT, AREA_DAILY_MEASUREMENT, dayMs, next, points);
      dailyPoints += points.length;
    }
    // The load profile's monthly cells of the local months holding those days, from the
    // hourly area points just written (folded per cell by the reader).
    for (const monthMs of new Set(days.map((d) => helsinkiMonthStart(d)))) {
      const next = nextHelsinkiMonth(monthMs);
      const cells = await store.areaProfile(
        rollupBucket,
        { fromMs: monthMs, toMs: next },
        { hoursOnly: true },
      );
      const lines = cells.map((c) => profileMonthLineOf(c, monthMs));
      await replaceLines(AREA_PROFILE_CELLS_MEASUREMENT, monthMs, next, lines);
      // The month's cells in the former layout (a `cell` tag) go: `backfill` migrates.
      lease.check();
      await store.deleteRollups(rollupBucket, LEGACY_AREA_PROFILE_MEASUREMENT, monthMs, next);
    }
    return { hours: new Set(hoursMs).size, days: days.length, hourlyPoints, dailyPoints };
  }

  const NOTHING: RunResult = { hours: 0, days: 0, hourlyPoints: 0, dailyPoints: 0 };
  const plus = (a: RunResult, b: RunResult): RunResult => ({
    hours: a.hours + b.hours,
    days: a.days + b.days,
    hourlyPoints: a.hourlyPoints + b.hourlyPoints,
    dailyPoints: a.dailyPoints + b.dailyPoints,
  });

  /** One run over the settled marks; nothing while another run (a backfill) holds the lease. */
  async function runOnce(): Promise<RunResult> {
    const result = await lease.exclusively(async () => {
      const taken = await ledger.take(options.hoursPerRun ?? 168, options.settleMs ?? 0);
      if (taken.length === 0) return NOTHING;
      const r = await rollUp(taken.map((t) => t.hourMs));
      await ledger.done(taken);
      log.debug(r, 'rolled up');
      return r;
    });
    if (result === undefined) log.debug('another rollup run holds the lease; marks left for later');
    return result ?? NOTHING;
  }

  /**
   * Re-aggregates every hour of `[fromMs, toMs)` now, a week at a time (`backfill`), holding
   * the lease throughout, so the service's runs wait; the ledger is left alone, so marks in
   * the range are still taken by the service later.
   * @throws RollupBusyError when another run holds the lease (nothing written).
   */
  async function backfill(fromMs: number, toMs: number): Promise<RunResult> {
    const result = await lease.exclusively(async () => {
      let total = NOTHING;
      const week = 168 * HOUR_MS;
      for (let start = fromMs - (fromMs % HOUR_MS); start < toMs; start += week) {
        const hours: number[] = [];
        for (let h = start; h < Math.min(start + week, toMs); h += HOUR_MS) hours.push(h);
        // A week stopped part way (a lost lease, an engine gone) may have its old points
        // deleted and the new ones not yet written: marked, the service redoes it.
        const r = await rollUp(hours).catch(async (error: unknown) => {
          await ledger.mark(hours).catch(() => undefined);
          throw error;
        });
        total = plus(total, r);
      }
      return total;
    });
    if (result === undefined) throw new RollupBusyError(await lease.current());
    return result;
  }

  /** Runs until the ledger is empty (catch-up, backfill); returns the totals. */
  async function drain(): Promise<RunResult> {
    let total = NOTHING;
    for (;;) {
      const r = await runOnce();
      if (r.hours === 0) return total;
      total = plus(total, r);
    }
  }

  /** Marks every hour of `[fromMs, toMs)` for re-aggregation (`backfill`). */
  async function markRange(fromMs: number, toMs: number): Promise<number> {
    const hours: number[] = [];
    for (let h = fromMs - (fromMs % HOUR_MS); h < toMs; h += HOUR_MS) hours.push(h);
    await ledger.mark(hours);
    return hours.length;
  }

  return { runOnce, drain, markRange, backfill };
}

export type RollupRunner = ReturnType<typeof createRollupRunner>;
