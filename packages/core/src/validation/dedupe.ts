/**
 * Collapses repeated starts within one batch. Head-ends resend intervals after reconnects
 * (identical copies) and send corrections (same start, new reading); the two are counted
 * apart because only corrections change what is stored.
 */
import type { IntervalValue } from '../reading.js';

export interface DedupedInterval {
  readonly value: IntervalValue;
  /** True when a later message-order entry replaced a different earlier reading. */
  readonly corrected: boolean;
}

export interface DedupeResult {
  /** One entry per distinct start, sorted by start. */
  readonly intervals: DedupedInterval[];
  readonly duplicatesIgnored: number;
  readonly corrections: number;
}

/**
 * Two readings are the same when value and flag set agree; a changed flag (e.g. ESTIMATED
 * dropped once the real read arrived) changes the quality, so it counts as a correction.
 */
export function sameReading(a: IntervalValue, b: IntervalValue): boolean {
  if (a.quantityWh !== b.quantityWh) return false;
  const flagsA = new Set(a.flags);
  const flagsB = new Set(b.flags);
  return flagsA.size === flagsB.size && [...flagsA].every((flag) => flagsB.has(flag));
}

/**
 * Keeps one reading per start: an identical repeat is ignored, a different one replaces the
 * current winner (the later in message order wins). Does not change its input. Never throws.
 */
export function dedupeIntervals(values: readonly IntervalValue[]): DedupeResult {
  const byStart = new Map<number, DedupedInterval>();
  let duplicatesIgnored = 0;
  let corrections = 0;
  for (const value of values) {
    const current = byStart.get(value.startMs);
    if (current === undefined) {
      byStart.set(value.startMs, { value, corrected: false });
    } else if (sameReading(current.value, value)) {
      duplicatesIgnored++;
    } else {
      corrections++;
      byStart.set(value.startMs, { value, corrected: true });
    }
  }
  const intervals = [...byStart.values()].sort((a, b) => a.value.startMs - b.value.startMs);
  return { intervals, duplicatesIgnored, corrections };
}
