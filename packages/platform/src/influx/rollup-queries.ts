import {
  AREA_DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  AREA_PROFILE_CELLS_MEASUREMENT,
  DAILY_MEASUREMENT,
  HOURLY_MEASUREMENT,
  LEGACY_AREA_PROFILE_MEASUREMENT,
  QUALITY_FIELD,
  SERIES_TAG,
} from '@lukema/core';
import { fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * The rollups' queries: stored readings of a time range (kwh and quality, one row per series
 * and time) and the rollup points of a range. Checked values only, as in readings-queries.ts.
 */

const MEASUREMENTS = new Set([
  HOURLY_MEASUREMENT,
  DAILY_MEASUREMENT,
  AREA_HOURLY_MEASUREMENT,
  AREA_DAILY_MEASUREMENT,
  AREA_PROFILE_CELLS_MEASUREMENT,
  LEGACY_AREA_PROFILE_MEASUREMENT,
]);
const SERIES_COLUMNS = '"pseudonym", "area", "commodity", "direction", "resolution"';

function checkedRange(fromMs: number, toMs: number): string {
  const start = fluxTime(fromMs, 'from');
  const stop = fluxTime(toMs, 'to');
  if (toMs <= fromMs) throw new InvalidQueryValueError('to', 'after from');
  return `range(start: ${start}, stop: ${stop})`;
}

/**
 * A rollup measurement's name.
 * @throws InvalidQueryValueError when it is not one of the rollups.
 */
export function checkedRollupMeasurement(measurement: string): string {
  if (!MEASUREMENTS.has(measurement)) {
    throw new InvalidQueryValueError('measurement', [...MEASUREMENTS].join(', '));
  }
  return measurement;
}

/**
 * Every stored reading's kwh and marks in `[fromMs, toMs)`, with its series' tags (no area:
 * the rollup runner asks the registry).
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function readingsInRangeFlux(bucket: string, fromMs: number, toMs: number): string {
  const { direction: D, pseudonym: P, resolution: R } = SERIES_TAG;
  return `from(bucket: "${fluxString(bucket)}") |> ${checkedRange(fromMs, toMs)}
  |> filter(fn: (r) => r._measurement == "energy" and (r._field == "kwh" or r._field == "${QUALITY_FIELD}"))
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> keep(columns: ["_time", "kwh", "${QUALITY_FIELD}", "${D}", "${P}", "${R}"])`;
}

/**
 * The points of one rollup measurement in `[fromMs, toMs)`.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function rollupsInRangeFlux(
  bucket: string,
  measurement: string,
  fromMs: number,
  toMs: number,
): string {
  return `from(bucket: "${fluxString(bucket)}") |> ${checkedRange(fromMs, toMs)}
  |> filter(fn: (r) => r._measurement == "${checkedRollupMeasurement(measurement)}")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> keep(columns: ["_time", "kwh", "intervals", "quality", ${SERIES_COLUMNS}])`;
}

/**
 * The delete API's predicate for one rollup measurement (its own syntax, not Flux).
 * @throws InvalidQueryValueError when it is not one of the rollups.
 */
export function rollupDeletePredicate(measurement: string): string {
  return `_measurement="${checkedRollupMeasurement(measurement)}"`;
}
