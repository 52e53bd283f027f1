import { describe, expect, it } from 'vitest';
import { H, iv, Q, run, T0 } from './test-fixtures.js';

describe('validateBatch: duplicates, corrections, gaps', () => {
  it('keeps an identical repeat once and counts it', () => {
    const result = run([iv(T0, 100), iv(T0, 100), iv(T0 + Q, 100)]);
    expect(result.intervals).toHaveLength(2);
    expect(result.duplicatesIgnored).toBe(1);
    expect(result.corrections).toBe(0);
    expect(result.intervals[0]?.flags).toEqual([]);
  });

  it('takes the later different reading, flags it corrected and grades it alone', () => {
    const result = run([
      iv(T0, 100, ['ESTIMATED']),
      iv(T0 + Q, 100),
      iv(T0, 120),
      iv(T0 + Q, 90, ['CLOCK_INVALID']),
    ]);
    expect(result.corrections).toBe(2);
    expect(result.duplicatesIgnored).toBe(0);
    expect(result.intervals).toEqual([
      { startMs: T0, quantityWh: 120, quality: 'measured', flags: ['corrected'] },
      {
        startMs: T0 + Q,
        quantityWh: 90,
        quality: 'suspect',
        flags: ['clock_invalid', 'corrected'],
      },
    ]);
  });

  it('reports PT15M gaps between the first and last interval, without inventing rows', () => {
    const result = run([iv(T0, 1), iv(T0 + 2 * Q, null), iv(T0 + 6 * Q, 1)]);
    expect(result.gaps).toEqual([
      { startMs: T0 + Q, intervals: 1 },
      { startMs: T0 + 3 * Q, intervals: 3 },
    ]);
    expect(result.intervals).toHaveLength(3);
  });

  it('reports PT1H gaps on the hourly grid', () => {
    const result = run([iv(T0 + 3 * H, 400), iv(T0, 400)], 'PT1H');
    expect(result.gaps).toEqual([{ startMs: T0 + H, intervals: 2 }]);
  });
});
