import { describe, expect, it } from 'vitest';
import type { IntervalValue } from '../reading.js';
import { dedupeIntervals } from './dedupe.js';
import { findGaps } from './gaps.js';
import { flagNames, qualityOf, type ValidationFlag } from './quality.js';
import { pushSpikes } from './spike.js';
import { batch, H, iv, MIN, NOW, Q, run, T0 } from './test-fixtures.js';
import { FUTURE_SKEW_MS, validateBatch } from './validate-batch.js';

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

describe('validateBatch: the fast common case changes no result', () => {
  /** The rules composed step by step, as validateBatch did before its fast path. */
  function reference(values: IntervalValue[], nowMs: number) {
    const deduped = dedupeIntervals(values);
    const spikes = pushSpikes(
      deduped.intervals.map((d) => d.value.quantityWh),
      'PT15M',
    );
    const intervals = deduped.intervals.map(({ value, corrected }, i) => {
      const v: ValidationFlag[] = [];
      if (corrected) v.push('corrected');
      if (value.startMs % Q !== 0) v.push('off_grid');
      if (value.startMs >= nowMs + FUTURE_SKEW_MS) v.push('future');
      const q = value.quantityWh;
      if (q !== null) {
        if (!Number.isFinite(q)) v.push('not_finite');
        else if (q < 0) v.push('negative');
        else if (spikes[i]) v.push('spike');
      }
      return {
        startMs: value.startMs,
        quantityWh: q,
        quality: qualityOf(q, value.flags, v),
        flags: flagNames(value.flags, v),
        dataStatus: 'final' as const,
      };
    });
    return {
      intervals,
      gaps: findGaps(
        intervals.map((i) => i.startMs),
        Q,
      ),
      duplicatesIgnored: deduped.duplicatesIgnored,
      corrections: deduped.corrections,
    };
  }

  it('gives what the rules composed step by step give, for pushes in and out of order', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 300; n++) {
      const values: IntervalValue[] = [];
      const count = 1 + Math.floor(rnd() * 30);
      for (let k = 0; k < count; k++) {
        const r = rnd();
        const slot = n % 3 === 0 ? Math.floor(rnd() * count) : k + (r < 0.05 ? 2 : 0);
        values.push(
          iv(
            T0 + slot * Q + (r > 0.97 ? 7 * MIN : 0) + (r > 0.99 ? 30 * H : 0),
            r < 0.03 ? null : r < 0.06 ? -5 : r < 0.08 ? 40_000 : Math.round(rnd() * 900),
            r < 0.1 ? ['ESTIMATED'] : r < 0.12 ? ['CLOCK_ADJUSTED', 'POWER_DOWN'] : [],
          ),
        );
      }
      const got = validateBatch(batch(values, { dataStatus: 'final' }), { nowMs: NOW });
      expect(got).toEqual(reference(values, NOW));
    }
  });
});
