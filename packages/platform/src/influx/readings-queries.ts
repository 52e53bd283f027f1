import { directionTag, OLD_SERIES_TAG, QUALITY_FIELD, SERIES_TAG } from '@lukema/core';
import { checkedPseudonym, fluxString, fluxTime } from './flux-values.js';
import { InvalidQueryValueError } from './invalid-query-value-error.js';

/*
 * Every Flux text Lukema runs against the readings bucket, built from checked values only.
 * The adapter runs them behind the domain-shaped ports (`ReadingsReader`, `SeriesStore`);
 * services never see Flux. Pure functions, so the injection cases are unit-tested.
 */

/**
 * Daily consumption totals per pseudonym in a window. The raw series carry no area (see
 * core's series-tags.ts): a reader by area asks the registry for each pseudonym's.
 */
export interface DailyConsumptionQuery {
  readonly fromMs: number;
  readonly toMs: number;
}

const { direction: D, pseudonym: P, resolution: R } = SERIES_TAG;

const ALL_TIME_STOP = '2200-01-01T00:00:00Z';

const from = (bucket: string) => `from(bucket: "${fluxString(bucket)}")`;

/** @throws InvalidQueryValueError when a value is not of its documented shape. */
export function dailyConsumptionFlux(bucket: string, q: DailyConsumptionQuery): string {
  const start = fluxTime(q.fromMs, 'from');
  const stop = fluxTime(q.toMs, 'to');
  if (q.toMs <= q.fromMs) throw new InvalidQueryValueError('to', 'after from');
  // Finnish local days (23 or 25 hours at DST changes), stamped with their start.
  return `import "timezone"
${from(bucket)} |> range(start: ${start}, stop: ${stop})
  |> filter(fn: (r) => r._measurement == "energy" and r._field == "kwh" and r.${D} == "${directionTag('consumption')}")
  |> group(columns: ["${P}"])
  |> aggregateWindow(every: 1d, fn: sum, createEmpty: false, timeSrc: "_start", location: timezone.location(name: "Europe/Helsinki"))`;
}

/**
 * One series' kwh and marks (`q`, absent on measured preliminary readings) fields in `[startMs, endMs)` (an export's contract period;
 * open-ended when endMs is null).
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function seriesReadingsFlux(
  bucket: string,
  pseudonym: string,
  startMs: number,
  endMs: number | null,
): string {
  const stop = endMs === null ? ALL_TIME_STOP : fluxTime(endMs, 'end');
  return `${from(bucket)} |> range(start: ${fluxTime(startMs, 'start')}, stop: ${stop})
  |> filter(fn: (r) => r._measurement == "energy" and r.${P} == "${checkedPseudonym(pseudonym)}" and (r._field == "kwh" or r._field == "${QUALITY_FIELD}"))
  |> keep(columns: ["_time", "_value", "_field", "${D}", "${R}"])`;
}

/** A series read in one query when it spans less than this; in two concurrent halves when longer. */
export const SLICE_MIN_SPAN_MS = 365 * 86_400_000;

/**
 * The Flux queries of one series' readings in `[startMs, endMs)`: one, or for a long
 * period two of consecutive halves (split on an hour of the stored span up to `nowMs`), to
 * be run concurrently: InfluxDB encodes one query's CSV on one core.
 * @throws InvalidQueryValueError when a value is not of its documented shape.
 */
export function seriesReadingsFluxes(
  bucket: string,
  pseudonym: string,
  startMs: number,
  endMs: number | null,
  nowMs: number,
): string[] {
  const last = endMs === null ? nowMs : Math.min(endMs, nowMs);
  if (!(last - startMs >= SLICE_MIN_SPAN_MS)) {
    return [seriesReadingsFlux(bucket, pseudonym, startMs, endMs)];
  }
  const mid = Math.floor((startMs + (last - startMs) / 2) / 3_600_000) * 3_600_000;
  return [
    seriesReadingsFlux(bucket, pseudonym, startMs, mid),
    seriesReadingsFlux(bucket, pseudonym, mid, endMs),
  ];
}

/**
 * Every stored point of one pseudonym, all fields pivoted into one row per time and series:
 * readings (`kwh`, `q`) and revision records (`w`).
 * @throws InvalidQueryValueError when the pseudonym is not one.
 */
export function storedPointsFlux(bucket: string, pseudonym: string): string {
  return `${from(bucket)} |> range(start: 0, stop: ${ALL_TIME_STOP})
  |> filter(fn: (r) => r._measurement == "energy" and r.${P} == "${checkedPseudonym(pseudonym)}")
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`;
}

/**
 * The delete API's predicate for one pseudonym's readings (its own syntax, not Flux).
 * @throws InvalidQueryValueError when the pseudonym is not one.
 */
export function seriesDeletePredicate(pseudonym: string): string {
  return `_measurement="energy" AND ${P}="${checkedPseudonym(pseudonym)}"`;
}

/**
 * The delete API's predicates for everything stored under one pseudonym, in every
 * measurement (readings and gap reports) and layout (the current one's `p` tag, and the
 * `pseudonym` tag of earlier layouts not yet migrated): erasure.
 * @throws InvalidQueryValueError when the pseudonym is not one.
 */
export function pseudonymDeletePredicates(pseudonym: string): string[] {
  const p = checkedPseudonym(pseudonym);
  return [`${P}="${p}"`, `${OLD_SERIES_TAG.pseudonym}="${p}"`];
}
