import { describe, expect, it } from 'vitest';
import type { IntervalValue } from '../reading.js';
import { batch, iv, MIN, NOW, Q, run, T0 } from './test-fixtures.js';
import { validateBatch } from './validate-batch.js';

describe('validateBatch: per-interval rules', () => {
  it('passes clean readings as measured, sorted by start, with no flags', () => {
    const result = run([iv(T0 + Q, 120), iv(T0, 100)]);
    expect(result.intervals).toEqual([
      { startMs: T0, quantityWh: 100, quality: 'measured', flags: [] },
      { startMs: T0 + Q, quantityWh: 120, quality: 'measured', flags: [] },
    ]);
    expect(result.gaps).toEqual([]);
  });

  it('maps head-end flags to quality and lists them lowercased', () => {
    const result = run([
      iv(T0, 100, ['CLOCK_ADJUSTED']),
      iv(T0 + Q, 100, ['RECOVERED_VALUE', 'CLOCK_ADJUSTED']),
      iv(T0 + 2 * Q, 100, ['ESTIMATED', 'DATA_NOT_VALID']),
      iv(T0 + 3 * Q, 100, ['POWER_DOWN', 'MISSING']),
      iv(T0 + 4 * Q, null),
    ]);
    expect(result.intervals.map((i) => [i.quality, i.flags])).toEqual([
      ['measured', ['clock_adjusted']],
      ['estimated', ['clock_adjusted', 'recovered_value']],
      ['suspect', ['data_not_valid', 'estimated']],
      ['missing', ['missing', 'power_down']],
      ['missing', []],
    ]);
  });

  it('marks off-grid starts suspect and keeps them out of the gap grid', () => {
    const result = run([iv(T0, 100), iv(T0 + Q + 7 * MIN, 100), iv(T0 + 2 * Q, 100)]);
    expect(result.intervals[1]).toMatchObject({ quality: 'suspect', flags: ['off_grid'] });
    expect(result.gaps).toEqual([{ startMs: T0 + Q, intervals: 1 }]);
  });

  it('judges the grid by the batch resolution', () => {
    const result = run([iv(T0, 400), iv(T0 + Q, 400)], 'PT1H');
    expect(result.intervals.map((i) => i.flags)).toEqual([[], ['off_grid']]);
  });

  it('marks starts from five minutes past now as future', () => {
    const slot = T0 + 4 * Q;
    const at = (nowMs: number) => validateBatch(batch([iv(slot, 100)]), { nowMs }).intervals[0];
    expect(at(slot - 5 * MIN)).toMatchObject({ quality: 'suspect', flags: ['future'] });
    expect(at(slot - 5 * MIN + 1)).toMatchObject({ quality: 'measured', flags: [] });
  });

  it('marks negative values suspect in either direction and keeps the value', () => {
    for (const direction of ['consumption', 'production'] as const) {
      const result = validateBatch(batch([iv(T0, -120)], { direction }), {
        nowMs: NOW,
      });
      expect(result.intervals[0]).toEqual({
        startMs: T0,
        quantityWh: -120,
        quality: 'suspect',
        flags: ['negative'],
      });
    }
  });

  it('keeps missing above suspect when both apply', () => {
    const result = run([iv(T0 + 7 * MIN, null, ['MISSING', 'CLOCK_INVALID'])]);
    expect(result.intervals[0]).toMatchObject({
      quality: 'missing',
      flags: ['clock_invalid', 'missing', 'off_grid'],
    });
  });

  it('marks non-finite values suspect', () => {
    const result = run([iv(T0, Number.NaN)]);
    expect(result.intervals[0]).toMatchObject({ quality: 'suspect', flags: ['not_finite'] });
  });

  it('gives every reading the Datahub status of its push, and none when the push has none', () => {
    const final = validateBatch(batch([iv(T0, 1), iv(T0 + Q, 2)], { dataStatus: 'final' }), {
      nowMs: NOW,
    });
    expect(final.intervals.map((i) => i.dataStatus)).toEqual(['final', 'final']);
    expect(run([iv(T0, 1)]).intervals[0]).not.toHaveProperty('dataStatus');
  });
});

describe('validateBatch: purity', () => {
  it('does not change the batch it is given', () => {
    const values = [iv(T0 + Q, 100, ['ESTIMATED', 'CLOCK_ADJUSTED']), iv(T0, 100), iv(T0, 130)];
    const input = batch(values);
    const before = structuredClone(input);
    validateBatch(input, { nowMs: NOW });
    expect(input).toEqual(before);
    expect(input.intervals[0]?.flags).toEqual(['ESTIMATED', 'CLOCK_ADJUSTED']);
  });

  it('works on deeply frozen input', () => {
    const values = [iv(T0, 100), iv(T0, 100)].map((v) =>
      Object.freeze({ ...v, flags: Object.freeze([...v.flags]) }),
    );
    const input = Object.freeze(batch(Object.freeze(values) as IntervalValue[]));
    expect(() => validateBatch(input, { nowMs: NOW })).not.toThrow();
  });
});
