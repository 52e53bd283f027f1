import {
  ANALYTICS_ZONE,
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  type Granularity,
} from '@lukema/core';
import { groupFilters, type PeriodQuery } from './analytics-queries.js';
import { fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The analysts' queries over the per-area rollups (`energy_area_1h`, `energy_area_1d`):
 * InfluxDB sums and counts per group, so a year by area returns a few thousand rows instead
 * of every series' hours. Each query is a union of grouped aggregates, one per figure:
 * `kwh`, `top` and `customers` summed, `customers` at its largest (`customersMax`), and the
 * windows counted (`windows`). Values are checked as in analytics-queries.ts.
 */

const EVERY: Readonly<Record<Granularity, string>> = { hour: '1h', day: '1d', month: '1mo' };
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
 * The three queries of one set of area figures, run side by side: `sums` (kwh, top and
 * customers summed), `largest` (customers at their largest: the rows' `_field` is then
 * `customersMax`) and `windows` (the windows with data counted: `_field` `windows`). Three
 * plain grouped aggregates, because InfluxDB pushes each down to its storage engine, while
 * one union of them is evaluated row by row (7× slower on a month of 10 areas).
 */
export interface AreaFigureQueries {
  readonly sums: string;
  readonly largest: string;
  readonly windows: string;
}

/**
 * Flux for the area figures per area, commodity, direction and Finnish local period
 * (stamped with its start): hours from the hourly area rollups, days and months from the
 * daily ones.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function areaPeriodsFlux(bucket: string, q: PeriodQuery): AreaFigureQueries {
  const every = EVERY[q.granularity];
  if (every === undefined) throw new InvalidQueryValueError('every', 'hour, day or month');
  const m = SOURCE[q.granularity];
  const query = (fields: string, fn: string) => `import "strings"
import "timezone"
${source(bucket, q, m, fields)}
  |> group(columns: [${GROUP}, "_field"])
  |> aggregateWindow(every: ${every}, fn: ${fn}, createEmpty: false, timeSrc: "_start", location: timezone.location(name: "${ANALYTICS_ZONE}"))
  |> keep(columns: ["_time", "_field", "_value", ${GROUP}])`;
  return {
    sums: query(SUMMED, 'sum'),
    largest: query(CUSTOMERS, 'max'),
    windows: query(KWH, 'count'),
  };
}

/**
 * Flux for the load profile's area figures over `[fromMs, toMs)`: per area, commodity,
 * direction and cell (`weekday-14`: the local hour and day type, a tag of the hourly area
 * rollups), grouped aggregates InfluxDB computes in its storage engine.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function areaProfileFlux(
  bucket: string,
  q: Omit<PeriodQuery, 'granularity'>,
): AreaFigureQueries {
  const query = { ...q, granularity: 'hour' as const };
  const one = (fields: string, fn: string) => `import "strings"
${source(bucket, query, AREA_HOURLY_MEASUREMENT, fields)}
  |> group(columns: [${GROUP}, "cell", "_field"])
  |> ${fn}()`;
  return { sums: one(SUMMED, 'sum'), largest: one(CUSTOMERS, 'max'), windows: one(KWH, 'count') };
}

/** One group's area figures, as the area queries return them. */
export interface AreaFigures {
  readonly area: string;
  readonly commodity: string;
  readonly direction: string;
  /** The period's start (aggregates) or the load-profile cell (`weekday-14`). */
  readonly startMs?: number;
  readonly cell?: string;
  /** kWh over the group's windows. */
  readonly kwh: number;
  /** Sum over the windows of the largest customer's kWh. */
  readonly topSum: number;
  /** Sum over the windows of their distinct customers (customer-windows). */
  readonly customersSum: number;
  /** The largest per-window distinct customers. */
  readonly customersMax: number;
  /** How many windows (hours or days) hold data. */
  readonly windows: number;
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

/** What each query's rows are (the `largest` and `windows` rows keep their source field). */
export const QUERY_FIELD = { largest: 'customersMax', windows: 'windows' } as const;

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
    if (field !== undefined) g[field] = Number(r._value);
  }
  return [...out.values()] as unknown as AreaFigures[];
}
