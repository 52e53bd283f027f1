import { describe, expect, it } from 'vitest';
import type { IntervalValue } from '../reading.js';
import { dedupeIntervals, sameReading } from './dedupe.js';

const Q = 15 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 1);

function iv(
  startMs: number,
  quantityWh: number | null,
  flags: IntervalValue['flags'] = [],
): IntervalValue {
  return { startMs, quantityWh, flags };
}

describe('sameReading', () => {
  it('compares value and flag set, not flag order', () => {
    expect(
      sameReading(iv(T0, 1, ['ESTIMATED', 'POWER_DOWN']), iv(T0, 1, ['POWER_DOWN', 'ESTIMATED'])),
    ).toBe(true);
    expect(sameReading(iv(T0, 1), iv(T0, 2))).toBe(false);
    expect(sameReading(iv(T0, null), iv(T0, 0))).toBe(false);
    expect(sameReading(iv(T0, 1, ['ESTIMATED']), iv(T0, 1))).toBe(false);
  });
});

describe('dedupeIntervals', () => {
  it('keeps an identical repeat once and counts it as a duplicate', () => {
    const result = dedupeIntervals([iv(T0, 100), iv(T0 + Q, 50), iv(T0, 100)]);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.corrections).toBe(0);
    expect(result.intervals.map((d) => [d.value.startMs, d.value.quantityWh, d.corrected])).toEqual(
      [
        [T0, 100, false],
        [T0 + Q, 50, false],
      ],
    );
  });

  it('lets the later different reading win and marks it corrected', () => {
    const result = dedupeIntervals([iv(T0, 100), iv(T0, 120)]);
    expect(result.corrections).toBe(1);
    expect(result.duplicatesIgnored).toBe(0);
    expect(result.intervals).toHaveLength(1);
    expect(result.intervals[0]?.value.quantityWh).toBe(120);
    expect(result.intervals[0]?.corrected).toBe(true);
  });

  it('counts a flag-only change as a correction', () => {
    const result = dedupeIntervals([iv(T0, 100, ['ESTIMATED']), iv(T0, 100)]);
    expect(result.corrections).toBe(1);
    expect(result.intervals[0]?.value.flags).toEqual([]);
  });

  it('compares each repeat with the current winner', () => {
    const result = dedupeIntervals([iv(T0, 1), iv(T0, 2), iv(T0, 2), iv(T0, 1)]);
    expect(result.corrections).toBe(2);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.intervals[0]?.value.quantityWh).toBe(1);
    expect(result.intervals[0]?.corrected).toBe(true);
  });
});
