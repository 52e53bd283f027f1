import { DIRECTIONS, OLD_SERIES_TAG, SERIES_TAG } from '@lukema/core';
import { checkedPseudonym, fluxString, fluxTime } from './flux-values.js';

/*
 * Flux and delete predicates for the migration from the earlier layouts to the current one
 * (short tags `d`, `p`, `r`, no area: see core's series-tags.ts). Both earlier layouts
 * spelled the tags out (`area`, `direction`, `pseudonym`, `resolution`): the first also had
 * the constant `commodity=electricity` and string `quality`/`flags`/`data_status` and `rev`
 * on every reading; the second (sparse) the fields the current one has (`kwh`, `q`, `w`).
 * Their points are told apart from current ones by the `pseudonym` tag.
 */

const from = (bucket: string) => `from(bucket: "${fluxString(bucket)}")`;

/**
 * Earlier layouts' readings, revision records and gap reports in `[fromMs, toMs)`, fields
 * pivoted: one row per point.
 * @throws InvalidQueryValueError when a time is not representable.
 */
export function legacyPointsFlux(bucket: string, fromMs: number, toMs: number): string {
  return `${from(bucket)} |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => (r._measurement == "energy" or r._measurement == "data_gaps") and exists r.${OLD_SERIES_TAG.pseudonym})
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
}

/**
 * The series and times of current-layout readings and revision records in `[fromMs, toMs)`:
 * written after the upgrade, so newer than an earlier layout's point at the same time.
 * @throws InvalidQueryValueError when a time is not representable.
 */
export function sparsePointsFlux(bucket: string, fromMs: number, toMs: number): string {
  const { direction: D, pseudonym: P, resolution: R } = SERIES_TAG;
  return `${from(bucket)} |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => r._measurement == "energy" and exists r.${P} and (r._field == "kwh" or r._field == "q" or r._field == "w"))
  |> keep(columns: ["_time", "${P}", "${D}", "${R}"])`;
}

/**
 * The delete API's predicates for every point of the earlier layouts (readings, records and
 * gap reports): they have a `direction` tag; current points have `d` instead.
 */
export const LEGACY_DELETE_PREDICATES: readonly string[] = DIRECTIONS.map(
  (d) => `${OLD_SERIES_TAG.direction}="${d}"`,
);

/**
 * Whether a pseudonym has any point in an earlier layout in `[fromMs, toMs)`: at most one
 * row (an index lookup on the spelled-out `pseudonym` tag, which current points lack).
 * @throws InvalidQueryValueError when the pseudonym or a time is not of its shape.
 */
export function legacySeriesProbeFlux(
  bucket: string,
  pseudonym: string,
  fromMs: number,
  toMs: number,
): string {
  return `${from(bucket)} |> range(start: ${fluxTime(fromMs, 'from')}, stop: ${fluxTime(toMs, 'to')})
  |> filter(fn: (r) => (r._measurement == "energy" or r._measurement == "data_gaps") and r.${OLD_SERIES_TAG.pseudonym} == "${checkedPseudonym(pseudonym)}")
  |> limit(n: 1)
  |> keep(columns: ["_time"])`;
}
