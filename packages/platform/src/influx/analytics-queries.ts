import {
  ANALYTICS_ZONE,
  DAILY_MEASUREMENT,
  type Granularity,
  HOURLY_MEASUREMENT,
} from '@lukema/core';
import { checkedPseudonym, fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The analysts' aggregate queries, over the rollups bucket (never the raw readings): each
 * series' kWh per Finnish local hour (from the hourly rollups), day or month (from the
 * daily ones, already cut at local midnight), windows in Europe/Helsinki (a DST day has 23
 * or 25 hours) stamped with their start. A day counts wholly when its start is in the
 * window. Values are checked before they reach the text, as in readings-queries.ts.
 */

export interface PeriodQuery {
  readonly fromMs: number;
  readonly toMs: number;
  readonly granularity: Granularity;
  /** A postal-code prefix of 1–3 digits (`001`, `00`), or `unknown`. */
  readonly areaPrefix?: string;
  readonly direction?: 'consumption' | 'production';
  readonly commodity?: string;
  /** Only these series (the objectors, whose figures the area rollups subtract). */
  readonly pseudonyms?: readonly string[];
}

const EVERY: Readonly<Record<Granularity, string>> = { hour: '1h', day: '1d', month: '1mo' };

/**
 * Flux's aggregateWindow over Finnish local periods, stamped with their start. Days and
 * months are cut in Europe/Helsinki; hours in UTC: Helsinki's offsets are whole hours, so a
 * UTC hour is a local hour, while a local hour window merges the two 03:00 hours of the
 * autumn clock change (the 25-hour day would show 24).
 * @throws InvalidQueryValueError when the granularity is not hour, day or month.
 */
export function localWindow(granularity: Granularity, fn: 'sum' | 'max' | 'count'): string {
  const every = EVERY[granularity];
  if (every === undefined) throw new InvalidQueryValueError('every', 'hour, day or month');
  const location =
    granularity === 'hour' ? '' : `, location: timezone.location(name: "${ANALYTICS_ZONE}")`;
  return `aggregateWindow(every: ${every}, fn: ${fn}, createEmpty: false, timeSrc: "_start"${location})`;
}
const SOURCE: Readonly<Record<Granularity, string>> = {
  hour: HOURLY_MEASUREMENT,
  day: DAILY_MEASUREMENT,
  month: DAILY_MEASUREMENT,
};
const AREA_PREFIX = /^(?:\d{1,3}|unknown)$/;
const COMMODITY = /^[a-z][a-z_-]{0,31}$/;
const DIRECTIONS = new Set(['consumption', 'production']);

/**
 * Flux for every series' kWh per local period in `[fromMs, toMs)`, from the rollups bucket.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function periodContributionsFlux(bucket: string, q: PeriodQuery): string {
  const start = fluxTime(q.fromMs, 'from');
  const stop = fluxTime(q.toMs, 'to');
  if (q.toMs <= q.fromMs) throw new InvalidQueryValueError('to', 'after from');
  const window = localWindow(q.granularity, 'sum');
  const filters = [
    `r._measurement == "${SOURCE[q.granularity]}"`,
    'r._field == "kwh"',
    ...groupFilters(q),
  ];
  if (q.pseudonyms !== undefined) {
    // An `or` chain of equalities (InfluxDB pushes it down to the index, unlike contains()).
    const one = q.pseudonyms.map((p) => `r.pseudonym == "${checkedPseudonym(p)}"`);
    filters.push(one.length === 0 ? 'false' : `(${one.join(' or ')})`);
  }
  return `import "strings"
import "timezone"
from(bucket: "${fluxString(bucket)}") |> range(start: ${start}, stop: ${stop})
  |> filter(fn: (r) => ${filters.join(' and ')})
  |> group(columns: ["pseudonym", "area", "commodity", "direction"])
  |> ${window}
  |> keep(columns: ["_time", "_value", "pseudonym", "area", "commodity", "direction"])`;
}

/**
 * The filters on area, commodity and direction of a query, checked.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function groupFilters(q: Omit<PeriodQuery, 'granularity' | 'fromMs' | 'toMs'>): string[] {
  const filters: string[] = [];
  if (q.direction !== undefined) {
    if (!DIRECTIONS.has(q.direction)) {
      throw new InvalidQueryValueError('direction', 'consumption or production');
    }
    filters.push(`r.direction == "${q.direction}"`);
  }
  if (q.commodity !== undefined) {
    if (!COMMODITY.test(q.commodity)) {
      throw new InvalidQueryValueError('commodity', 'a commodity name such as electricity');
    }
    filters.push(`r.commodity == "${fluxString(q.commodity)}"`);
  }
  if (q.areaPrefix !== undefined) {
    if (!AREA_PREFIX.test(q.areaPrefix)) {
      throw new InvalidQueryValueError('area', 'a postal-code prefix of 1 to 3 digits, or unknown');
    }
    filters.push(
      q.areaPrefix === 'unknown'
        ? 'r.area == "unknown"'
        : q.areaPrefix.length === 3
          ? `r.area == "${q.areaPrefix}xx"` // one area: an equality InfluxDB finds in its index
          : `strings.hasPrefix(v: r.area, prefix: "${q.areaPrefix}")`,
    );
  }
  return filters;
}
