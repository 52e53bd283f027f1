/**
 * Validation (the first V of VEE) of one head-end batch: per-interval quality and flags,
 * duplicates and corrections, gaps, and the updated spike history for the series.
 */
import {
  type IntervalBatch,
  type IntervalValue,
  RESOLUTION_MS,
  type Resolution,
} from '../reading.js';
import { dedupeIntervals } from './dedupe.js';
import { findGaps, type Gap, isOnGrid } from './gaps.js';
import { type SeriesHistory, spikeThresholdWh, updateHistory } from './history.js';
import { flagNames, type Quality, qualityOf, type ValidationFlag } from './quality.js';

/** Meter clocks drift; a start this far ahead of our clock is still believed. */
export const FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface ValidatedInterval {
  readonly startMs: number;
  readonly quantityWh: number | null;
  readonly quality: Quality;
  /** sorted, unique, lower_snake_case: validation flags plus the head-end flags lowercased (e.g. 'clock_adjusted') */
  readonly flags: readonly string[];
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
  /** Updated history to keep for this series. */
  readonly history: SeriesHistory | undefined;
}

export interface ValidationContext {
  readonly nowMs: number;
  readonly history: SeriesHistory | undefined;
}

interface IntervalCheck {
  readonly nowMs: number;
  readonly resolution: Resolution;
  readonly history: SeriesHistory | undefined;
  readonly corrected: boolean;
}

function validationFlagsOf(value: IntervalValue, check: IntervalCheck): ValidationFlag[] {
  const flags: ValidationFlag[] = [];
  if (check.corrected) flags.push('corrected');
  if (!isOnGrid(value.startMs, RESOLUTION_MS[check.resolution])) flags.push('off_grid');
  if (value.startMs >= check.nowMs + FUTURE_SKEW_MS) flags.push('future');
  const quantity = value.quantityWh;
  if (quantity === null) return flags;
  // A NaN or Infinity would poison the running mean for good, so it is never measured.
  if (!Number.isFinite(quantity)) flags.push('not_finite');
  // Negative energy can be a legitimate correction upstream, so it is kept as sent and only
  // marked for review, whatever the direction.
  else if (quantity < 0) flags.push('negative');
  else {
    const threshold = spikeThresholdWh(check.history, check.resolution);
    if (threshold !== undefined && quantity > threshold) flags.push('spike');
  }
  return flags;
}

/**
 * Validates one batch against the series' history. Intervals are judged in start order so
 * the history warms up within a long batch the same way it would across short ones; only
 * intervals that end up 'measured' feed it, so a spike cannot raise its own threshold.
 *
 * Pure: the batch and the history passed in are not changed. Never throws for input that
 * satisfies the IntervalBatch type.
 */
export function validateBatch(batch: IntervalBatch, ctx: ValidationContext): BatchValidation {
  const deduped = dedupeIntervals(batch.intervals);
  let history = ctx.history;
  const intervals: ValidatedInterval[] = [];
  for (const { value, corrected } of deduped.intervals) {
    const validationFlags = validationFlagsOf(value, {
      nowMs: ctx.nowMs,
      resolution: batch.resolution,
      history,
      corrected,
    });
    const quality = qualityOf(value.quantityWh, value.flags, validationFlags);
    if (quality === 'measured' && value.quantityWh !== null) {
      history = updateHistory(history, value.quantityWh, batch.resolution);
    }
    intervals.push({
      startMs: value.startMs,
      quantityWh: value.quantityWh,
      quality,
      flags: flagNames(value.flags, validationFlags),
    });
  }
  return {
    intervals,
    gaps: findGaps(
      intervals.map((interval) => interval.startMs),
      RESOLUTION_MS[batch.resolution],
    ),
    duplicatesIgnored: deduped.duplicatesIgnored,
    corrections: deduped.corrections,
    history,
  };
}
