import { runReadings } from '@lukema/core';
import { describe, expect, it } from 'vitest';
import { SeriesMerge } from './series-merge.js';

const SERIES = { meteringPointId: 'MP', direction: 'consumption', resolution: 'PT15M' } as const;

/** kwh at two times of three, marks (4: final) at every second and where kwh is not. */
function columns(n: number) {
  const kt: number[] = [];
  const kv: number[] = [];
  const mt: number[] = [];
  const mv: number[] = [];
  for (let t = 0; t < n; t++) {
    if (t % 3 !== 1) {
      kt.push(t * 900_000);
      kv.push(t * 7 - 300);
    }
    if (t % 2 === 0 || t % 3 === 1) {
      mt.push(t * 900_000);
      mv.push(t % 5 === 0 ? 0 : 4);
    }
  }
  return [kt, kv, mt, mv].map((a) => Float64Array.from(a)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
}

describe('SeriesMerge', () => {
  it('gives the same readings merged at once or a prefix at a time, as the columns grow', () => {
    const [kt, kv, mt, mv] = columns(5000);
    const once = new SeriesMerge();
    once.take(kt, kv, mt, mv, Number.POSITIVE_INFINITY);
    const whole = runReadings(once.run(SERIES));
    expect(whole).toHaveLength(5000);
    expect(whole[1]).toMatchObject({ startMs: 900_000, quantityWh: null, dataStatus: 'final' });
    expect(whole[3]).toMatchObject({ startMs: 2_700_000, quantityWh: -279, quality: 'measured' });

    // The stream's way: all of kwh, the marks arriving in pieces, merged up to the last mark.
    const stream = new SeriesMerge();
    for (let m = 7; m < mt.length; m += 311) {
      stream.take(kt, kv, mt.subarray(0, m), mv.subarray(0, m), mt[m - 1] as number);
    }
    stream.take(kt, kv, mt, mv, Number.POSITIVE_INFINITY);
    expect(runReadings(stream.run(SERIES))).toEqual(whole);
  });

  it('refuses a value that is not a finite number', () => {
    const merge = new SeriesMerge();
    const t = Float64Array.of(0, 900_000);
    expect(() =>
      merge.take(t, Float64Array.of(1, Number.NaN), t, Float64Array.of(4, 4), Infinity),
    ).toThrow(RangeError);
  });
});
