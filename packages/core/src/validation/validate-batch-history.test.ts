import { describe, expect, it } from 'vitest';
import { H, iv, Q, run, T0, WARM } from './test-fixtures.js';

describe('validateBatch: spikes and history', () => {
  it('flags a value above ten times the mean once the history is warm', () => {
    // The spike comes first: an accepted value would move the mean and the threshold.
    const result = run([iv(T0, 1001), iv(T0 + Q, 1000)], WARM);
    expect(result.intervals.map((i) => [i.quality, i.flags])).toEqual([
      ['suspect', ['spike']],
      ['measured', []],
    ]);
  });

  it('does not flag spikes before 8 accepted values', () => {
    const result = run([iv(T0, 5000)], { meanWh: 100, count: 7 });
    expect(result.intervals[0]?.quality).toBe('measured');
    expect(result.history?.count).toBe(8);
  });

  it('scales the threshold to hourly intervals', () => {
    const result = run([iv(T0, 4001), iv(T0 + H, 4000)], WARM, 'PT1H');
    expect(result.intervals.map((i) => i.flags)).toEqual([['spike'], []]);
  });

  it('warms up within a batch: the ninth value can be a spike, the eighth cannot', () => {
    const steady = Array.from({ length: 8 }, (_, i) => iv(T0 + i * Q, 100));
    const late = run([...steady, iv(T0 + 8 * Q, 5000)]);
    expect(late.intervals[8]).toMatchObject({ quality: 'suspect', flags: ['spike'] });
    const early = run([...steady.slice(0, 7), iv(T0 + 7 * Q, 5000)]);
    expect(early.intervals[7]?.quality).toBe('measured');
  });

  it('updates the history by EWMA from measured values in start order', () => {
    const result = run([iv(T0 + Q, 200), iv(T0, 100)]);
    expect(result.history?.count).toBe(2);
    expect(result.history?.meanWh).toBeCloseTo(110, 10);
  });

  it('normalises hourly values before they enter the history', () => {
    const result = run([iv(T0, 400), iv(T0 + H, 800)], undefined, 'PT1H');
    expect(result.history?.meanWh).toBeCloseTo(110, 10);
  });

  it('leaves the history alone for spikes, suspect, estimated and missing values', () => {
    const result = run(
      [
        iv(T0, 5000),
        iv(T0 + Q, 100, ['ESTIMATED']),
        iv(T0 + 2 * Q, 100, ['POWER_DOWN']),
        iv(T0 + 3 * Q, null),
        iv(T0 + 4 * Q, -5),
      ],
      WARM,
    );
    expect(result.history).toEqual(WARM);
    expect(run([iv(T0, 100, ['ESTIMATED'])]).history).toBeUndefined();
  });

  it('does let clock-adjusted and corrected measured values feed the history', () => {
    const result = run([iv(T0, 300), iv(T0, 200, ['CLOCK_ADJUSTED'])], { meanWh: 100, count: 3 });
    expect(result.history?.count).toBe(4);
    expect(result.history?.meanWh).toBeCloseTo(110, 10);
  });
});
