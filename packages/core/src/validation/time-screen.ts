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

/**
 * Instants for a header, short however many there are: a run of three or more at one step
 * is `first..last every <step> (<count>)` (a year of quarter-hours is one run, not 35,040
 * instants of 25 bytes that made a dead letter larger than Kafka takes), the rest one by
 * one, comma-separated. Past `maxChars` the list ends with `… (<count> in all)`.
 */
export function instantsText(instants: readonly number[], maxChars = 8_192): string {
  const parts: string[] = [];
  const closing = `… (${instants.length} in all)`;
  let length = 0;
  let i = 0;
  while (i < instants.length) {
    const first = instants[i] as number;
    const step = (instants[i + 1] ?? first) - first;
    let last = i;
    if (step > 0) {
      while (
        last + 1 < instants.length &&
        (instants[last + 1] as number) - (instants[last] as number) === step
      )
        last++;
    }
    const count = last - i + 1;
    const part =
      count >= 3
        ? `${instantText(first)}..${instantText(instants[last] as number)} every ${formatStep(step)} (${count})`
        : instantText(first);
    if (count < 3) last = i;
    // Room is kept for the closing count, should a later part not fit.
    if (length + part.length + 1 + closing.length > maxChars) {
      parts.push(closing);
      break;
    }
    parts.push(part);
    length += part.length + 1;
    i = last + 1;
  }
  return parts.join(',');
}

function formatStep(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms} ms`;
}

function formatDuration(ms: number): string {
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} h` : `${ms / 60_000} min`;
}
