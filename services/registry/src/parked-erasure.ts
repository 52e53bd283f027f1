import { type ErasedPeriod, inErasedPeriod as inAny } from '@lukema/platform';
import type { MeterMessage } from '@lukema/schemas';

/** A half-open range of instants [fromMs, toMs): a contract period of an erased customer. */
export type { ErasedPeriod } from '@lukema/platform';

/**
 * What erasure leaves of a parked message: the readings outside the erased customer's
 * periods. `unchanged` when none was theirs, `null` when all were (drop the message).
 */
export function withoutErasedReadings(
  message: MeterMessage,
  periods: readonly ErasedPeriod[],
): MeterMessage | 'unchanged' | null {
  if (message.kind === 'interval') {
    const kept = message.batch.intervals.filter((i) => !inAny(i.startMs, periods));
    if (kept.length === message.batch.intervals.length) return 'unchanged';
    return kept.length === 0
      ? null
      : { kind: 'interval', batch: { ...message.batch, intervals: kept } };
  }
  if (message.kind === 'stored') {
    const kept = message.batch.readings.filter((r) => !inAny(r.startMs, periods));
    if (kept.length === message.batch.readings.length) return 'unchanged';
    return kept.length === 0
      ? null
      : { kind: 'stored', batch: { ...message.batch, readings: kept } };
  }
  const kept = message.batch.reads.filter((r) => !inAny(r.atMs, periods));
  if (kept.length === message.batch.reads.length) return 'unchanged';
  return kept.length === 0 ? null : { kind: 'register', batch: { ...message.batch, reads: kept } };
}
