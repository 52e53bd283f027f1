import { describe, expect, it } from 'vitest';
import type { IntervalBatch, IntervalValue, Resolution } from '../reading.js';
import { isCleanPush } from './clean-push.js';
import { batch, H, iv, NOW, Q, T0 } from './test-fixtures.js';
import { FUTURE_SKEW_MS, validateBatch } from './validate-batch.js';

/** What validateBatch gives a push it keeps as sent: measured, unflagged, no gap. */
const asSent = (b: IntervalBatch) => ({
  intervals: b.intervals.map((i) => ({
    startMs: i.startMs,
    quantityWh: i.quantityWh,
    quality: 'measured',
    flags: [],
    dataStatus: 'preliminary',
  })),
  gaps: [],
  duplicatesIgnored: 0,
  corrections: 0,
});

const day = (n: number, step: number, value: (k: number) => number | null, from = T0) =>
  Array.from({ length: n }, (_, k) => iv(from + k * step, value(k)));

describe('isCleanPush', () => {
  const pre = { dataStatus: 'preliminary' } as const;

  it('holds for an ordinary push, which validateBatch keeps as sent', () => {
    for (const [resolution, step] of [
      ['PT15M', Q],
      ['PT1H', H],
    ] as const) {
      const b = batch(
        day(24, step, (k) => 100 + (k % 7) * 30),
        { ...pre, resolution },
      );
      expect(isCleanPush(b, NOW)).toBe(true);
      expect(validateBatch(b, { nowMs: NOW })).toEqual(asSent(b));
    }
    // High values that are no spike (a large site): looked at, and clean.
    const large = batch(
      day(24, Q, (k) => 900 + (k % 5) * 40),
      pre,
    );
    expect(isCleanPush(large, NOW)).toBe(true);
    expect(validateBatch(large, { nowMs: NOW })).toEqual(asSent(large));
  });

  it('fails for whatever validation could mark, and for a final or status-less push', () => {
    const good = () => day(8, Q, () => 200);
    const variants: Array<[string, IntervalValue[], Partial<IntervalBatch>]> = [
      ['final', good(), { dataStatus: 'final' }],
      ['no status', good(), {}],
      ['empty', [], pre],
      ['a gap', [...good().slice(0, 3), ...good().slice(4)], pre],
      ['out of order', [good()[1] as IntervalValue, good()[0] as IntervalValue], pre],
      ['a duplicate', [...good(), good()[7] as IntervalValue], pre],
      ['off grid', day(4, Q, () => 1, T0 + 1), pre],
      ['missing', day(4, Q, (k) => (k === 2 ? null : 1)), pre],
      ['negative', day(4, Q, (k) => (k === 2 ? -1 : 1)), pre],
      ['not finite', day(4, Q, (k) => (k === 2 ? Number.NaN : 1)), pre],
      ['a head-end flag', [...good().slice(1), iv(T0 + 8 * Q, 1, ['CLOCK_ADJUSTED'])], pre],
      ['a spike', day(8, Q, (k) => (k === 3 ? 5000 : 100)), pre],
      ['in the future', day(4, Q, () => 1, NOW + FUTURE_SKEW_MS - Q), pre],
    ];
    for (const [what, intervals, over] of variants) {
      expect(isCleanPush(batch(intervals, over), NOW), what).toBe(false);
    }
  });

  it('whenever it holds, validateBatch keeps the push as sent (random pushes)', () => {
    let s = 7;
    const next = () => {
      s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
      return s / 2_147_483_648;
    };
    let clean = 0;
    for (let n = 0; n < 3000; n++) {
      const resolution: Resolution = next() < 0.5 ? 'PT15M' : 'PT1H';
      const step = resolution === 'PT15M' ? Q : H;
      const from = NOW - Math.floor(next() * 48) * Q + (next() < 0.05 ? 1 : 0);
      const values = day(
        1 + Math.floor(next() * 30),
        step,
        () => {
          const r = next();
          return r < 0.02 ? null : r < 0.04 ? -5 : Math.floor(next() * (r < 0.1 ? 4000 : 600));
        },
        from,
      );
      if (next() < 0.05 && values.length > 2) values.splice(1, 1);
      const b = batch(values, {
        resolution,
        ...(next() < 0.9 ? pre : { dataStatus: 'final' as const }),
      });
      if (!isCleanPush(b, NOW)) continue;
      clean++;
      expect(validateBatch(b, { nowMs: NOW })).toEqual(asSent(b));
    }
    expect(clean).toBeGreaterThan(100);
  });
});
