import {
  beyondHorizonReason,
  type IntervalBatch,
  isRepresentableMs,
  type StoredReadingBatch,
  screenStarts,
  UNREPRESENTABLE_REASON,
} from '@lukema/core';
import type { ConsumedMessage } from '@lukema/platform';
import type { Rejection } from './batch-mapper.js';

/** Dead-letters the starts of a message that cannot be stored; returns them. */
export type StartScreen = (message: ConsumedMessage, starts: readonly number[]) => Set<number>;

/**
 * Dead-letters a message's starts (or register reads) that no store can hold or that lie
 * beyond the horizon, one rejection per reason; returns those starts. Checked before
 * validation, so a far-future reading can neither fail a write nor open a gap up to its
 * date, nor become a register's last state.
 */
export function rejectUnstorable(
  message: ConsumedMessage,
  starts: readonly number[],
  nowMs: number,
  horizonMs: number,
  rejections: Rejection[],
): Set<number> {
  // Nearly every push is all storable: found without building a screening input per start.
  const latest = nowMs + horizonMs;
  let allStorable = true;
  for (const startMs of starts) {
    if (!isRepresentableMs(startMs) || startMs > latest) {
      allStorable = false;
      break;
    }
  }
  if (allStorable) return new Set();
  const screened = screenStarts(
    starts.map((startMs) => ({ startMs, quantityWh: null, flags: [] })),
    nowMs,
    horizonMs,
  );
  if (screened.unrepresentable.length > 0) {
    rejections.push({
      message,
      reason: UNREPRESENTABLE_REASON,
      errorType: 'TimestampOutOfRange',
      intervals: screened.unrepresentable,
    });
  }
  if (screened.beyondHorizon.length > 0) {
    rejections.push({
      message,
      reason: beyondHorizonReason(horizonMs),
      errorType: 'BeyondHorizon',
      intervals: screened.beyondHorizon,
    });
  }
  return new Set([...screened.unrepresentable, ...screened.beyondHorizon]);
}

/** A decoded push, and what to park for it when part of it was dead-lettered. */
export interface ScreenedPush {
  readonly message: ConsumedMessage;
  /** A head-end push, or readings a rectification parked (written back as they were). */
  readonly batch: IntervalBatch | StoredReadingBatch;
  /**
   * The push without its dead-lettered readings, to park instead of the original bytes:
   * re-released, it must not dead-letter them a second time.
   */
  readonly parkAs?: () => Buffer;
}

/** The batches with their storable intervals; a message left with none drops out. */
export function keepStorable(
  decoded: readonly ScreenedPush[],
  screen: StartScreen,
  encode: (batch: IntervalBatch) => Buffer,
): ScreenedPush[] {
  const kept: ScreenedPush[] = [];
  for (const entry of decoded) {
    const { message, batch } = entry;
    // Readings a rectification parked were stored once: within range by construction.
    if ('readings' in batch) {
      kept.push(entry);
      continue;
    }
    const bad = screen(
      message,
      batch.intervals.map((i) => i.startMs),
    );
    if (bad.size === 0) kept.push(entry);
    else {
      const intervals = batch.intervals.filter((i) => !bad.has(i.startMs));
      const rest = { ...batch, intervals };
      if (intervals.length > 0) kept.push({ ...entry, batch: rest, parkAs: () => encode(rest) });
    }
  }
  return kept;
}
