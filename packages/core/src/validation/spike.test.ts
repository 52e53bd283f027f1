import { describe, expect, it } from 'vitest';
import { pushSpikes, resolutionScale } from './spike.js';

const flagged = (values: Array<number | null>, resolution: 'PT15M' | 'PT1H' = 'PT15M') =>
  pushSpikes(values, resolution).flatMap((spike, i) => (spike ? [i] : []));

describe('pushSpikes', () => {
  it('flags a value far above its neighbours in the push', () => {
    expect(flagged([210, 205, 200, 4000, 215, 190, 220])).toEqual([3]);
  });

  it('compares with ten times the neighbours, at least the 50 Wh floor', () => {
    expect(flagged([100, 100, 1000, 100, 100])).toEqual([]);
    expect(flagged([100, 100, 1001, 100, 100])).toEqual([2]);
    expect(flagged([0, 0, 500, 0, 0])).toEqual([]);
    expect(flagged([0, 0, 501, 0, 0])).toEqual([2]);
  });

  it('scales the floor to hourly intervals', () => {
    expect(flagged([0, 0, 2000, 0, 0], 'PT1H')).toEqual([]);
    expect(flagged([0, 0, 2001, 0, 0], 'PT1H')).toEqual([2]);
    expect(resolutionScale('PT1H')).toBe(4);
  });

  it('does not let two or three spikes in a row cover each other', () => {
    const values = [200, 210, 190, 200, 50_000, 60_000, 55_000, 200, 205, 195, 200];
    expect(flagged(values)).toEqual([4, 5, 6]);
  });

  it('judges a value at the edge of a push against the nearest values inside it', () => {
    expect(flagged([9000, 200, 210, 190, 205, 200, 195])).toEqual([0]);
    expect(flagged([200, 210, 190, 205, 200, 195, 9000])).toEqual([6]);
  });

  it('does not flag a sunset or sunrise ramp cut by the push edge', () => {
    // Seen in the simulator with the window moved inwards: the zeros outvoted the ramp.
    expect(flagged([504, 351, 307, 173, 89, 0, 0, 0, 0, 0, 0, 0])).toEqual([]);
    expect(flagged([0, 0, 0, 0, 0, 0, 0, 5, 40, 120, 300, 520])).toEqual([]);
  });

  it('does not flag a sunrise ramp or a heater switched on', () => {
    const sunrise = [0, 0, 0, 0, 0, 2, 8, 20, 45, 90, 160, 260, 400, 560, 700, 850];
    expect(flagged(sunrise)).toEqual([]);
    const sauna = [30, 28, 31, 30, 1500, 1550, 1480, 1520, 1500, 40, 30, 30];
    expect(flagged(sauna)).toEqual([]);
  });

  it('does not judge pushes with fewer than five usable values', () => {
    expect(flagged([200, 200, 9000, 200])).toEqual([]);
    expect(flagged([200, null, 9000, -5, 200, Number.NaN, 200])).toEqual([]);
    expect(flagged([])).toEqual([]);
  });

  it('skips missing, negative and non-finite values as neighbours, and never flags them', () => {
    const values = [200, null, 210, -9000, 9000, Number.POSITIVE_INFINITY, 190, 205, 200];
    expect(flagged(values)).toEqual([4]);
  });

  it('depends on the push only: the same values give the same answer every time', () => {
    const values = [100, 120, 5000, 90, 80, 110];
    expect(pushSpikes(values, 'PT15M')).toEqual(pushSpikes([...values], 'PT15M'));
  });
});

describe('pushSpikes against its definition', () => {
  /** The rule spelled out plainly: sorted copies, every value judged. */
  const reference = (values: (number | null)[]) => {
    const usable = values.flatMap((v, i) => (v !== null && v >= 0 ? [i] : []));
    return values.map((v, i) => {
      const k = usable.indexOf(i);
      if (v === null || k < 0 || usable.length < 5) return false;
      const near = usable
        .slice(Math.max(0, k - 4), k + 5)
        .filter((j) => j !== i)
        .map((j) => values[j] as number)
        .sort((a, b) => a - b);
      const m = near.length >> 1;
      const med =
        near.length % 2 ? (near[m] as number) : ((near[m - 1] as number) + (near[m] as number)) / 2;
      return v > 10 * Math.max(med, 50);
    });
  };

  it('flags exactly what the definition flags, on random pushes with spikes and gaps', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let push = 0; push < 2000; push++) {
      const values = Array.from({ length: 3 + Math.floor(random() * 30) }, () => {
        const r = random();
        if (r < 0.05) return null;
        if (r < 0.08) return -5;
        if (r < 0.15) return Math.round(random() * 20_000);
        return Math.round(random() * 800);
      });
      expect(pushSpikes(values, 'PT15M')).toEqual(reference(values));
    }
  });
});
