import { fluxString, fluxTime } from './flux-values.js';

/*
 * Flux and delete predicates for the migration from the old layout (five tags with the
 * constant `commodity=electricity`, string `quality`/`flags`/`data_status` and `rev` on
 * every reading) to the sparse one. The old layout's points are told apart by that tag.
 */

const from = (bucket: string) => `from(bucket: "${fluxString(bucket)}")`;

/**
 * Old-layout readings and gap reports in `[fromMs, toMs)`, fields pivoted: one row per point.
 * @throws InvalidQueryValueError when a time is not representable.
 */
export function legacyPointsFlux(bucket: string, fromMs: number, toMs: number): string {
  return `${from(bucket)} |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => (r._measurement == "energy" or r._measurement == "data_gaps") and r.commodity == "electricity")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
}

/**
 * The series and times of new-layout readings in `[fromMs, toMs)`: written after the
 * upgrade, so newer than an old-layout point at the same time.
 * @throws InvalidQueryValueError when a time is not representable.
 */
export function sparsePointsFlux(bucket: string, fromMs: number, toMs: number): string {
  return `${from(bucket)} |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => r._measurement == "energy" and not exists r.commodity and (r._field == "kwh" or r._field == "q"))
  |> keep(columns: ["_time", "pseudonym", "direction", "resolution"])`;
}

/** The delete API's predicate for every old-layout point (readings and gap reports). */
export const LEGACY_DELETE_PREDICATE = 'commodity="electricity"';
