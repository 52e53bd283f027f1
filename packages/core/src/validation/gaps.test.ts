import { describe, expect, it } from 'vitest';
import { findGaps, isOnGrid } from './gaps.js';

const MIN = 60 * 1000;
const Q = 15 * MIN;
const H = 60 * MIN;
const T0 = Date.UTC(2026, 0, 1);

describe('isOnGrid', () => {
  it('accepts multiples of the resolution, before and after the epoch', () => {
    expect(isOnGrid(T0 + 3 * Q, Q)).toBe(true);
    expect(isOnGrid(-Q, Q)).toBe(true);
  });

  it('rejects starts between slots, fractions and NaN', () => {
    expect(isOnGrid(T0 + Q, H)).toBe(false);
    expect(isOnGrid(T0 + 1, Q)).toBe(false);
    expect(isOnGrid(T0 + 0.5, Q)).toBe(false);
    expect(isOnGrid(Number.NaN, Q)).toBe(false);
  });
});

describe('findGaps', () => {
  it('finds nothing in a contiguous, single or empty series', () => {
    expect(findGaps([T0, T0 + Q, T0 + 2 * Q], Q)).toEqual([]);
    expect(findGaps([T0], Q)).toEqual([]);
    expect(findGaps([], Q)).toEqual([]);
  });

  it('reports a PT15M run by its first absent slot and length', () => {
    expect(findGaps([T0, T0 + 3 * Q, T0 + 4 * Q], Q)).toEqual([{ startMs: T0 + Q, intervals: 2 }]);
  });

  it('reports several PT1H runs, from unsorted input with repeats', () => {
    const starts = [T0 + 5 * H, T0, T0 + 2 * H, T0, T0 + 9 * H];
    expect(findGaps(starts, H)).toEqual([
      { startMs: T0 + H, intervals: 1 },
      { startMs: T0 + 3 * H, intervals: 2 },
      { startMs: T0 + 6 * H, intervals: 3 },
    ]);
  });

  it('lets off-grid starts neither fill a gap nor widen the range', () => {
    expect(findGaps([T0, T0 + Q + 7 * MIN, T0 + 2 * Q], Q)).toEqual([
      { startMs: T0 + Q, intervals: 1 },
    ]);
    expect(findGaps([T0 - 7 * MIN, T0, T0 + Q, T0 + 5 * Q + 1], Q)).toEqual([]);
  });

  it('computes a long hole without listing its slots', () => {
    expect(findGaps([T0, T0 + 96 * 365 * Q], Q)).toEqual([
      { startMs: T0 + Q, intervals: 96 * 365 - 1 },
    ]);
  });
});
