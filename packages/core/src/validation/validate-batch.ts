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
import { findGaps, type Gap, isOnGrid } from './gaps.js';
import { flagNames, type Quality, qualityOf, type ValidationFlag } from './quality.js';
import { pushSpikes } from './spike.js';

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

interface IntervalCheck {
  readonly nowMs: number;
  readonly resolution: Resolution;
  readonly corrected: boolean;
  readonly spike: boolean;
}

function validationFlagsOf(value: IntervalValue, check: IntervalCheck): ValidationFlag[] {
  const flags: ValidationFlag[] = [];
  if (check.corrected) flags.push('corrected');
  if (!isOnGrid(value.startMs, RESOLUTION_MS[check.resolution])) flags.push('off_grid');
  if (value.startMs >= check.nowMs + FUTURE_SKEW_MS) flags.push('future');
  const quantity = value.quantityWh;
  if (quantity === null) return flags;
  if (!Number.isFinite(quantity)) flags.push('not_finite');
  // Negative energy can be a legitimate correction upstream, so it is kept as sent and only
  // marked for review, whatever the direction.
  else if (quantity < 0) flags.push('negative');
  else if (check.spike) flags.push('spike');
  return flags;
}

/**
 * Validates one batch. Spikes are judged against the other values of the same batch (see
 * pushSpikes), so the result depends on the batch and `nowMs` only, never on other pushes
 * or the order they arrived in.
 *
 * Pure: the batch passed in is not changed. Never throws for input that satisfies the
 * IntervalBatch type.
 */
export function validateBatch(batch: IntervalBatch, ctx: ValidationContext): BatchValidation {
  const deduped = dedupeIntervals(batch.intervals);
  const spikes = pushSpikes(
    deduped.intervals.map(({ value }) => value.quantityWh),
    batch.resolution,
  );
  const status = batch.dataStatus === undefined ? {} : { dataStatus: batch.dataStatus };
  const intervals = deduped.intervals.map(({ value, corrected }, i): ValidatedInterval => {
    const validationFlags = validationFlagsOf(value, {
      nowMs: ctx.nowMs,
      resolution: batch.resolution,
      corrected,
      spike: spikes[i] === true,
    });
    return {
      startMs: value.startMs,
      quantityWh: value.quantityWh,
      quality: qualityOf(value.quantityWh, value.flags, validationFlags),
      flags: flagNames(value.flags, validationFlags),
      ...status,
    };
  });
  return {
    intervals,
    gaps: findGaps(
      intervals.map((interval) => interval.startMs),
      RESOLUTION_MS[batch.resolution],
    ),
    duplicatesIgnored: deduped.duplicatesIgnored,
    corrections: deduped.corrections,
  };
}
