import {
  beyondHorizonReason,
  type IntervalBatch,
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

/** The batches with their storable intervals; a message left with none drops out. */
export function keepStorable<T extends { message: ConsumedMessage; batch: IntervalBatch }>(
  decoded: readonly T[],
  screen: StartScreen,
): T[] {
  const kept: T[] = [];
  for (const entry of decoded) {
    const { message, batch } = entry;
    const bad = screen(
      message,
      batch.intervals.map((i) => i.startMs),
    );
    if (bad.size === 0) kept.push(entry);
    else {
      const intervals = batch.intervals.filter((i) => !bad.has(i.startMs));
      if (intervals.length > 0) kept.push({ ...entry, batch: { ...batch, intervals } });
    }
  }
  return kept;
}
