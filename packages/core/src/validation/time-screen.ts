/**
 * Which interval starts can be stored at all: InfluxDB keeps nanoseconds in an int64, and a
 * meter cannot have measured energy for an interval that starts well after now. Readings
 * outside those bounds are set aside (dead-lettered) before validation, so they neither
 * fail a whole write nor stretch a series' gaps to a far-off date.
 */
import type { IntervalValue } from '../reading.js';

/** First whole millisecond InfluxDB can store (int64 nanoseconds: 1677-09-21T00:12:43.146Z). */
export const INFLUX_MIN_MS = -9_223_372_036_854;
/** Last whole millisecond InfluxDB can store (int64 nanoseconds: 2262-04-11T23:47:16.854Z). */
export const INFLUX_MAX_MS = 9_223_372_036_854;

export const UNREPRESENTABLE_REASON =
  'timestamp outside the representable range (InfluxDB stores 1677-09-21 to 2262-04-11)';

/** The reason a reading beyond the horizon is dead-lettered with. */
export function beyondHorizonReason(horizonMs: number): string {
  return `beyond the future horizon: starts more than ${formatDuration(horizonMs)} after the receiving clock`;
}

export interface ScreenedStarts {
  /** Intervals that can be stored (in their original order). */
  readonly kept: IntervalValue[];
  /** Starts no store can represent (not an integer, or outside InfluxDB's range). */
  readonly unrepresentable: number[];
  /** Starts later than now + horizon. */
  readonly beyondHorizon: number[];
}

/** Whether an epoch-ms start is a whole millisecond InfluxDB can store. */
export function isRepresentableMs(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= INFLUX_MIN_MS && ms <= INFLUX_MAX_MS;
}

/**
 * Splits intervals into those that can be stored and those that cannot. Pure; never throws.
 * @param horizonMs how far past `nowMs` a start is still believed (clock-skew allowance).
 */
export function screenStarts(
  intervals: readonly IntervalValue[],
  nowMs: number,
  horizonMs: number,
): ScreenedStarts {
  const kept: IntervalValue[] = [];
  const unrepresentable: number[] = [];
  const beyondHorizon: number[] = [];
  const latest = nowMs + horizonMs;
  for (const interval of intervals) {
    if (!isRepresentableMs(interval.startMs)) unrepresentable.push(interval.startMs);
    else if (interval.startMs > latest) beyondHorizon.push(interval.startMs);
    else kept.push(interval);
  }
  return { kept, unrepresentable, beyondHorizon };
}

/**
 * An instant for messages and headers: ISO 8601 when a Date can hold it, the raw number
 * otherwise (`new Date(9e15).toISOString()` throws a RangeError). Never throws.
 */
export function instantText(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} ms` : date.toISOString();
}

function formatDuration(ms: number): string {
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} h` : `${ms / 60_000} min`;
}
