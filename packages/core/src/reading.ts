/** The interval readings head-end systems send, as the pipeline sees them after decoding. */

export const DIRECTIONS = ['consumption', 'production'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const RESOLUTIONS = ['PT15M', 'PT1H'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_MS: Record<Resolution, number> = {
  PT15M: 15 * 60 * 1000,
  PT1H: 60 * 60 * 1000,
};

/** Interval status flags as head-end systems report them (OSGP-style). */
export const HEAD_END_FLAGS = [
  'ESTIMATED',
  'MISSING',
  'CLOCK_INVALID',
  'CLOCK_ADJUSTED',
  'DATA_NOT_VALID',
  'POWER_DOWN',
  'RECOVERED_VALUE',
  'CRITICAL_ERROR',
] as const;
export type HeadEndFlag = (typeof HEAD_END_FLAGS)[number];

/** Datahub wants preliminary values by midnight of the next day and final values by D+11. */
export type DataStatus = 'preliminary' | 'final';

export interface IntervalValue {
  /** Start of the interval, UTC epoch milliseconds. */
  readonly startMs: number;
  /** Energy in watt-hours (kWh with 3 decimals, as an exact integer); null when missing. */
  readonly quantityWh: number | null;
  readonly flags: readonly HeadEndFlag[];
}

/** What every head-end push says of itself: who sent it, for which series, and when. */
export interface PushHeader {
  readonly messageId: string;
  readonly headEndId: string;
  readonly meteringPointId: string;
  readonly direction: Direction;
  /** The interval length (for register reads: their spacing). */
  readonly resolution: Resolution;
  readonly sentAtMs: number;
}

/** One head-end push: a batch of intervals for one metering point and direction. */
export interface IntervalBatch extends PushHeader {
  readonly intervals: readonly IntervalValue[];
  /**
   * Optional so that code building batches by hand keeps compiling; the codec always sets
   * it on decode and encodes a missing one as preliminary.
   */
  readonly dataStatus?: DataStatus;
}
