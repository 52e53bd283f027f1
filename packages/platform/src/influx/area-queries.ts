import {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  type AreaFigureSums,
  type Granularity,
  profileMonthLine,
} from '@lukema/core';
import { groupFilters, localWindow, type PeriodQuery } from './analytics-queries.js';
import { fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The analysts' queries over the per-area rollups (`energy_area_1h`, `energy_area_1d`):
 * InfluxDB sums and counts per group, so a year by area returns a few thousand rows instead
 * of every series' hours. Each query is a union of grouped aggregates, one per figure:
 * `kwh`, `top` and `customers` summed, `customers` at its largest (`customersMax`), and the
 * windows counted (`windows`). Values are checked as in analytics-queries.ts.
 */

const SOURCE: Readonly<Record<Granularity, string>> = {
  hour: AREA_HOURLY_MEASUREMENT,
  day: AREA_DAILY_MEASUREMENT,
  month: AREA_DAILY_MEASUREMENT,
};
const GROUP = '"area", "commodity", "direction"';

function source(bucket: string, q: PeriodQuery, measurement: string, fields: string): string {
  const start = fluxTime(q.fromMs, 'from');
  const stop = fluxTime(q.toMs, 'to');
  if (q.toMs <= q.fromMs) throw new InvalidQueryValueError('to', 'after from');
  const filters = [`r._measurement == "${measurement}"`, fields, ...groupFilters(q)];
  return `from(bucket: "${fluxString(bucket)}") |> range(start: ${start}, stop: ${stop})
  |> filter(fn: (r) => ${filters.join(' and ')})`;
}

const SUMMED = '(r._field == "kwh" or r._field == "top" or r._field == "customers")';
const CUSTOMERS = 'r._field == "customers"';
const KWH = 'r._field == "kwh"';

/**
 * One query of a set of area figures: its rows are figures of the `_field` they carry, or
 * of `field` when given (`customersMax` for the largest count, `windows` for the count).
 * Several plain grouped aggregates run side by side, because InfluxDB pushes each down to
 * its storage engine, while one union of them is evaluated row by row (7× slower).
 */
export interface AreaFigureQuery {
  readonly flux: string;
  readonly field?: 'customersMax' | 'windows';
}

function figureQueries(
  one: (fields: string, fn: 'sum' | 'max' | 'count') => string,
): AreaFigureQuery[] {
  return [
    { flux: one(SUMMED, 'sum') },
    { flux: one(CUSTOMERS, 'max'), field: 'customersMax' },
    { flux: one(KWH, 'count'), field: 'windows' },
  ];
}

/**
 * Flux for the area figures per area, commodity, direction and Finnish local period
 * (stamped with its start): hours from the hourly area rollups, days and months from the
 * daily ones.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function areaPeriodsFlux(bucket: string, q: PeriodQuery): AreaFigureQuery[] {
  const m = SOURCE[q.granularity];
  return figureQueries(
    (fields, fn) => `import "strings"
import "timezone"
${source(bucket, q, m, fields)}
  |> group(columns: [${GROUP}, "_field"])
  |> ${localWindow(q.granularity, fn)}
  |> keep(columns: ["_time", "_field", "_value", ${GROUP}])`,
  );
}

/**
 * One group's area figures, as the area queries return them: core's sums, which the
 * guards and the coarse-area merge take.
 */
export type AreaFigures = AreaFigureSums;

/**
 * The monthly load-profile point of one cell's figures for the local month starting at
 * `monthStartMs`, as `areaProfile(…, { hoursOnly: true })` returned them over that month.
 * @throws RangeError when the figures carry no cell's name.
 */
export function profileMonthLineOf(c: AreaFigures, monthStartMs: number): string {
  return profileMonthLine({
    area: c.area,
    commodity: c.commodity,
    direction: c.direction,
    cell: c.cell ?? '',
    startMs: monthStartMs,
    kwh: c.kwh,
    top: c.topSum,
    customers: c.customersSum,
    customersMax: c.customersMax,
    windows: c.windows,
  });
}

export type AreaFigureRow = {
  readonly _field: string;
  readonly _value: number;
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  readonly _time?: string;
  readonly cell?: string;
};

const FIELD: Readonly<Record<string, keyof AreaFigures>> = {
  kwh: 'kwh',
  top: 'topSum',
  customers: 'customersSum',
  customersMax: 'customersMax',
  windows: 'windows',
};

/** Folds the union's rows (one per figure) into one record per group. Never throws. */
export function foldAreaRows(rows: Iterable<AreaFigureRow>): AreaFigures[] {
  const out = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const at = r.cell ?? r._time ?? '';
    const key = `${r.area}|${r.commodity}|${r.direction}|${at}`;
    let g = out.get(key);
    if (!g) {
      g = {
        area: r.area,
        commodity: r.commodity,
        direction: r.direction,
        kwh: 0,
        topSum: 0,
        customersSum: 0,
        customersMax: 0,
        windows: 0,
      };
      if (r.cell !== undefined) g.cell = r.cell;
      else if (r._time !== undefined) g.startMs = Date.parse(r._time);
      out.set(key, g);
    }
    const field = FIELD[r._field];
    // Parts of a range (months, edge hours) add up; the largest count is the largest.
    if (field === 'customersMax') g[field] = Math.max(Number(g[field]), Number(r._value));
    else if (field !== undefined) g[field] = Number(g[field]) + Number(r._value);
  }
  return [...out.values()] as unknown as AreaFigures[];
}
