/**
 * Validation (the first V of VEE) of one head-end batch: per-interval quality and flags,
 * duplicates and corrections, and gaps. Everything is judged from the batch alone (and the
 * clock, for `future`), so the flags of a push do not depend on what arrived before it.
 */
import {
  type DataStatus,
  type IntervalBatch,
  type IntervalValue,
  RESOLUTION_MS,
  type Resolution,
} from '../reading.js';
import { dedupeIntervals } from './dedupe.js';
import { type Gap, isOnGrid } from './gaps.js';
import { flagNames, type Quality, qualityOf, type ValidationFlag } from './quality.js';
import { pushSpikes, resolutionScale, SPIKE_FACTOR, SPIKE_FLOOR_WH } from './spike.js';

/** Meter clocks drift; a start this far ahead of our clock is still believed. */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface ValidatedInterval {
  readonly startMs: number;
  readonly quantityWh: number | null;
  readonly quality: Quality;
  /** sorted, unique, lower_snake_case: validation flags plus the head-end flags lowercased (e.g. 'clock_adjusted') */
  readonly flags: readonly string[];
  /** The Datahub status of the push that carried the reading (register reads have none). */
  readonly dataStatus?: DataStatus;
}

export interface BatchValidation {
  /** Sorted by startMs, one per distinct startMs. */
  readonly intervals: ValidatedInterval[];
  /** Runs of grid slots missing between the first and last interval (reported, never invented). */
  readonly gaps: Gap[];
  /** Same start, same reading: kept once. */
  readonly duplicatesIgnored: number;
  /** Same start, different reading: the later in message order wins, flagged 'corrected'. */
  readonly corrections: number;
}

export interface ValidationContext {
  readonly nowMs: number;
}

/** Shared by every interval that has no flag: the common case allocates no list. */
const NO_FLAGS: readonly string[] = Object.freeze([]);
const NO_VALIDATION_FLAGS: readonly ValidationFlag[] = Object.freeze([]);

function validationFlagsOf(
  value: IntervalValue,
  nowMs: number,
  stepMs: number,
  corrected: boolean,
  spike: boolean,
): readonly ValidationFlag[] {
  const quantity = value.quantityWh;
  const onGrid = isOnGrid(value.startMs, stepMs);
  const future = value.startMs >= nowMs + FUTURE_SKEW_MS;
  const valueFlag = quantity !== null && (!Number.isFinite(quantity) || quantity < 0 || spike);
  if (!corrected && onGrid && !future && !valueFlag) return NO_VALIDATION_FLAGS;
  const flags: ValidationFlag[] = [];
  if (corrected) flags.push('corrected');
  if (!onGrid) flags.push('off_grid');
  if (future) flags.push('future');
  if (quantity === null) return flags;
  if (!Number.isFinite(quantity)) flags.push('not_finite');
  // Negative energy can be a legitimate correction upstream, so it is kept as sent and only
  // marked for review, whatever the direction.
  else if (quantity < 0) flags.push('negative');
  else if (spike) flags.push('spike');
  return flags;
}

const NO_SPIKES: readonly boolean[] = Object.freeze([]);

/** Whether any value is high enough to be a spike at all (most pushes have none). */
function anySpikeHigh(values: readonly IntervalValue[], resolution: Resolution): boolean {
  const least = SPIKE_FACTOR * SPIKE_FLOOR_WH * resolutionScale(resolution);
  for (const value of values) {
    if (value.quantityWh !== null && value.quantityWh > least) return true;
  }
  return false;
}

/**
 * One value per distinct start, sorted by start (see dedupeIntervals). A head-end sends its
 * intervals in order and once each: that common case is recognised and kept as it is.
 */
function distinctStarts(values: readonly IntervalValue[]): {
  values: readonly IntervalValue[];
  corrected: readonly boolean[] | undefined;
  duplicatesIgnored: number;
  corrections: number;
} {
  let ascending = true;
  for (let k = 1; k < values.length; k++) {
    if (!((values[k] as IntervalValue).startMs > (values[k - 1] as IntervalValue).startMs)) {
      ascending = false;
      break;
    }
  }
  if (ascending) return { values, corrected: undefined, duplicatesIgnored: 0, corrections: 0 };
  const deduped = dedupeIntervals(values);
  return {
    values: deduped.intervals.map((d) => d.value),
    corrected: deduped.intervals.map((d) => d.corrected),
    duplicatesIgnored: deduped.duplicatesIgnored,
    corrections: deduped.corrections,
  };
}

/**
 * Validates one batch. Spikes are judged against the other values of the same batch (see
 * pushSpikes), so the result depends on the batch and `nowMs` only, never on other pushes
 * or the order they arrived in. Runs once per reading ingested: it allocates one object per
 * interval and nothing else in the common case (no flag, no duplicate, no gap).
 *
 * Pure: the batch passed in is not changed. Never throws for input that satisfies the
 * IntervalBatch type.
 */
export function validateBatch(batch: IntervalBatch, ctx: ValidationContext): BatchValidation {
  const distinct = distinctStarts(batch.intervals);
  const values = distinct.values;
  const spikes = anySpikeHigh(values, batch.resolution)
    ? pushSpikes(
        values.map((value) => value.quantityWh),
        batch.resolution,
      )
    : NO_SPIKES;
  const stepMs = RESOLUTION_MS[batch.resolution];
  const dataStatus = batch.dataStatus;
  const intervals: ValidatedInterval[] = [];
  // Runs of absent grid slots between on-grid starts (as findGaps, on starts already
  // distinct and sorted).
  const gaps: Gap[] = [];
  let previousOnGrid: number | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as IntervalValue;
    const validationFlags = validationFlagsOf(
      value,
      ctx.nowMs,
      stepMs,
      distinct.corrected?.[i] === true,
      spikes[i] === true,
    );
    const { startMs, quantityWh } = value;
    const quality = qualityOf(quantityWh, value.flags, validationFlags);
    const flags =
      value.flags.length === 0 && validationFlags.length === 0
        ? NO_FLAGS
        : flagNames(value.flags, validationFlags);
    intervals.push(
      dataStatus === undefined
        ? { startMs, quantityWh, quality, flags }
        : { startMs, quantityWh, quality, flags, dataStatus },
    );
    if (isOnGrid(startMs, stepMs)) {
      if (previousOnGrid !== undefined) {
        const absent = (startMs - previousOnGrid) / stepMs - 1;
        if (absent > 0) gaps.push({ startMs: previousOnGrid + stepMs, intervals: absent });
      }
      previousOnGrid = startMs;
    }
  }
  return {
    intervals,
    gaps,
    duplicatesIgnored: distinct.duplicatesIgnored,
    corrections: distinct.corrections,
  };
}
