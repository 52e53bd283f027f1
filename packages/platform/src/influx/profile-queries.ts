import {
  AREA_HOURLY_MEASUREMENT,
  AREA_PROFILE_CELLS_MEASUREMENT,
  helsinkiMonthStart,
  nextHelsinkiMonth,
} from '@lukema/core';
import { groupFilters, type PeriodQuery } from './analytics-queries.js';
import { fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The load profile's reads. Neither the monthly cells (`energy_area_cells_1mo`, the cell in
 * the point's time) nor the hourly area rollups (`energy_area_1h`, the cell a function of
 * the hour) carry the cell as a tag, so no Flux aggregate can group by it: each read returns
 * its rows as stored (only the columns the fold needs) and ProfileFold adds them up per cell.
 * A year of 100 areas is then 500 series of 576 rows (~290 k rows) instead of 24,000 series
 * of 12, and InfluxDB's time goes by the series it opens (~70 µs each), not by the rows.
 * Hourly points written before the cell left the tags still carry it: the fold ignores it.
 */

/** One read of a profile: `cells` rows hold monthly cells, `hours` rows hourly area points. */
export interface ProfileRead {
  readonly flux: string;
  readonly kind: 'cells' | 'hours';
}

const KEEP = '|> keep(columns: ["_time", "_value", "_field", "area", "commodity", "direction"])';
const HOUR_FIELDS = '(r._field == "kwh" or r._field == "top" or r._field == "customers")';

function read(
  bucket: string,
  q: Omit<PeriodQuery, 'granularity'>,
  measurement: string,
  fromMs: number,
  toMs: number,
  fields?: string,
): string {
  const filters = [
    `r._measurement == "${measurement}"`,
    ...(fields === undefined ? [] : [fields]),
    ...groupFilters(q),
  ];
  return `import "strings"
from(bucket: "${fluxString(bucket)}") |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => ${filters.join(' and ')})
  ${KEEP}`;
}

/** Splits `[fromMs, toMs)` of whole local months into at most `pieces` runs of months. */
function monthRuns(fromMs: number, toMs: number, pieces: number): Array<[number, number]> {
  const starts: number[] = [];
  for (let m = fromMs; m < toMs; m = nextHelsinkiMonth(m)) starts.push(m);
  const size = Math.ceil(starts.length / Math.max(1, pieces));
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < starts.length; i += size) {
    runs.push([starts[i] as number, starts[i + size] ?? toMs]);
  }
  return runs;
}

/**
 * The reads of a load profile over `[fromMs, toMs)`: the whole local months inside it from
 * the monthly cells (in `pieces` concurrent reads of months: InfluxDB answers each on its
 * own core), the hours before and after them from the hourly area rollups. With `hoursOnly`,
 * every hour from the hourly rollups (what the rollup runner makes the monthly cells of).
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function profileReads(
  bucket: string,
  q: Omit<PeriodQuery, 'granularity'>,
  options: { readonly hoursOnly?: boolean; readonly pieces?: number } = {},
): ProfileRead[] {
  if (q.toMs <= q.fromMs) throw new InvalidQueryValueError('to', 'after from');
  const hours = (fromMs: number, toMs: number): ProfileRead => ({
    kind: 'hours',
    flux: read(bucket, q, AREA_HOURLY_MEASUREMENT, fromMs, toMs, HOUR_FIELDS),
  });
  let monthFrom = helsinkiMonthStart(q.fromMs);
  if (monthFrom < q.fromMs) monthFrom = nextHelsinkiMonth(monthFrom);
  let monthTo = monthFrom;
  while (nextHelsinkiMonth(monthTo) <= q.toMs) monthTo = nextHelsinkiMonth(monthTo);
  if (monthTo === monthFrom || options.hoursOnly) return [hours(q.fromMs, q.toMs)];
  return [
    ...monthRuns(monthFrom, monthTo, options.pieces ?? 2).map(
      ([fromMs, toMs]): ProfileRead => ({
        kind: 'cells',
        flux: read(bucket, q, AREA_PROFILE_CELLS_MEASUREMENT, fromMs, toMs),
      }),
    ),
    ...(q.fromMs < monthFrom ? [hours(q.fromMs, monthFrom)] : []),
    ...(monthTo < q.toMs ? [hours(monthTo, q.toMs)] : []),
  ];
}
