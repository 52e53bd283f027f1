import { describe, expect, it } from 'vitest';
import type { IntervalBatch, IntervalValue } from '../reading.js';
import { batch, H, iv, NOW, Q, run, T0 } from './test-fixtures.js';
import { validateBatch } from './validate-batch.js';

/** Two days of a solar point (night zeros, a midday bump) in 6-hour pushes of 24 values. */
function solarPushes(): IntervalBatch[] {
  const pushes: IntervalBatch[] = [];
  for (let p = 0; p < 8; p++) {
    const start = T0 + p * 6 * H;
    const intervals: IntervalValue[] = Array.from({ length: 24 }, (_, i) => {
      const hour = ((start + i * Q - T0) / H) % 24;
      const sun = Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
      return iv(start + i * Q, Math.round(900 * sun ** 1.5));
    });
    pushes.push(batch(intervals, { direction: 'production', messageId: `p${p}` }));
  }
  return pushes;
}

describe('validateBatch: spikes', () => {
  it('flags a spike against the other values of the push', () => {
    const result = run([
      iv(T0, 200),
      iv(T0 + Q, 210),
      iv(T0 + 2 * Q, 4000),
      iv(T0 + 3 * Q, 190),
      iv(T0 + 4 * Q, 205),
    ]);
    expect(result.intervals.map((i) => [i.quality, i.flags])).toEqual([
      ['measured', []],
      ['measured', []],
      ['suspect', ['spike']],
      ['measured', []],
      ['measured', []],
    ]);
  });

  it('judges the value that won a correction, not the one it replaced', () => {
    const values = [200, 210, 190, 205, 200].map((v, i) => iv(T0 + i * Q, v));
    const result = run([...values, iv(T0 + 2 * Q, 9000)]);
    expect(result.intervals[2]).toMatchObject({
      quality: 'suspect',
      flags: ['corrected', 'spike'],
    });
    expect(run([iv(T0 + 2 * Q, 9000), ...values]).intervals[2]?.flags).toEqual(['corrected']);
  });

  it('gives every push the same flags whatever order the pushes are validated in', () => {
    const pushes = solarPushes();
    const flagsOf = (order: number[]) =>
      new Map(
        order.flatMap((p) =>
          validateBatch(pushes[p] as IntervalBatch, { nowMs: NOW + 2 * 24 * H }).intervals.map(
            (i) => [i.startMs, `${i.quality}:${i.flags.join(',')}`] as const,
          ),
        ),
      );
    const inOrder = flagsOf([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(inOrder.size).toBe(8 * 24);
    expect([...inOrder.values()].every((f) => f === 'measured:')).toBe(true);
    // The night push last, first, and everything reversed.
    expect(flagsOf([1, 2, 3, 4, 5, 6, 7, 0])).toEqual(inOrder);
    expect(flagsOf([4, 0, 1, 2, 3, 5, 6, 7])).toEqual(inOrder);
    expect(flagsOf([7, 6, 5, 4, 3, 2, 1, 0])).toEqual(inOrder);
  });
});
